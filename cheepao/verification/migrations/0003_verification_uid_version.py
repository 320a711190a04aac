"""Every form ศจพ.1 gets its own UUID (`uid`) and a save counter (`version`), ADR 0021."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Verification = apps.get_model("verification", "Verification")
    pks = list(Verification.objects.filter(uid__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(pks), 5_000):
        rows = [Verification(pk=pk, uid=uuid.uuid4()) for pk in pks[start : start + 5_000]]
        Verification.objects.bulk_update(rows, ["uid"])


class Migration(migrations.Migration):
    dependencies = [("verification", "0002_round_deadline")]

    operations = [
        migrations.AddField(
            model_name="verification",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="verification",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="verification",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
