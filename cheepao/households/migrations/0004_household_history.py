"""The household history (HouseholdEvent), append-only: on PostgreSQL a trigger refuses
UPDATE and DELETE of its rows in the database itself, as for the audit log (SQLite, for
development, relies on the model's own refusal).

Households loaded before the history existed get their `loaded` event (at the time they
were created, with the problems the survey gave them), so no folder starts blank; what
happened to them since is in the audit log."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION household_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'household history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER household_event_append_only
    BEFORE UPDATE OR DELETE ON households_householdevent
    FOR EACH ROW EXECUTE FUNCTION household_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS household_event_append_only ON households_householdevent;
DROP FUNCTION IF EXISTS household_event_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backfill(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Problem = apps.get_model("households", "Problem")
    HouseholdEvent = apps.get_model("households", "HouseholdEvent")
    survey = {}
    for household_id, code in (
        Problem.objects.filter(origin="survey")
        .order_by("indicator")
        .values_list("household_id", "indicator")
    ):
        survey.setdefault(household_id, []).append(code)
    rows = (
        Household.objects.filter(source="survey")
        .values_list("pk", "created_at", "registry__survey_year")
        .iterator(chunk_size=5_000)
    )
    batch = []
    for pk, created_at, year in rows:
        batch.append(
            HouseholdEvent(
                household_id=pk,
                kind="loaded",
                at=created_at,
                channel="system",
                data={"year": year, "indicators": survey.get(pk, [])},
            )
        )
        if len(batch) >= 5_000:
            HouseholdEvent.objects.bulk_create(batch)
            batch = []
    HouseholdEvent.objects.bulk_create(batch)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_data_problems"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HouseholdEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(db_index=True, max_length=40, verbose_name="kind")),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="by")),
                ("channel", models.CharField(blank=True, max_length=8, verbose_name="channel")),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "household",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="households.household",
                    ),
                ),
            ],
            options={
                "verbose_name": "household history event",
                "verbose_name_plural": "household history",
                "ordering": ("-at", "-id"),
                "indexes": [
                    models.Index(fields=["household", "at"], name="households__househo_39a66f_idx")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
