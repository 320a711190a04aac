"""Every household gets its own UUID (`uid`) and a change counter (`version`), ADR 0021.

Existing rows get a random UUID each, in one statement where the database can make them
(PostgreSQL's gen_random_uuid), else in batches; then the column becomes unique."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {Household._meta.db_table} SET uid = gen_random_uuid() WHERE uid IS NULL"
        )
        return
    pks = list(Household.objects.filter(uid__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(pks), 5_000):
        rows = [Household(pk=pk, uid=uuid.uuid4()) for pk in pks[start : start + 5_000]]
        Household.objects.bulk_update(rows, ["uid"])


class Migration(migrations.Migration):
    dependencies = [("households", "0006_area_summary")]

    operations = [
        migrations.AddField(
            model_name="household",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="household",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="household",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
