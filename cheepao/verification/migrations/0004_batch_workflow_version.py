"""A batch records the version of the workflow catalogue it started under (ADR 0022); the
kinds of its events are that version's, so `BatchEvent.action` is no longer a fixed list."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("verification", "0003_verification_uid_version")]

    operations = [
        migrations.AddField(
            model_name="batch",
            name="workflow_version",
            # Every batch so far followed the only workflow there was: v1.
            field=models.CharField(
                default="v1", editable=False, max_length=32, verbose_name="workflow version"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="batchevent",
            name="action",
            field=models.CharField(max_length=32, verbose_name="action"),
        ),
    ]
