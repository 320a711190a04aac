"""On PostgreSQL, refuse UPDATE and DELETE of Logbook entries in the database itself (ADR
0026). SQLite (development) relies on the model's own refusal; production runs PostgreSQL.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION logbook_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Logbook entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER logbook_entry_append_only
    BEFORE UPDATE OR DELETE ON logbook_entry
    FOR EACH ROW EXECUTE FUNCTION logbook_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS logbook_entry_append_only ON logbook_entry;
DROP FUNCTION IF EXISTS logbook_entry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
