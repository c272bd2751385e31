"""On PostgreSQL, audit rows are append-only for every role without the table's ownership.

A ``BEFORE UPDATE OR DELETE`` trigger refuses to change or delete a row of
``audit_auditevent``, through the ORM or raw SQL. The one legitimate rewrite is
re-chaining after a key rotation that retires the old key
(:func:`lentera.web.audit.services.rechain`): it sets the transaction-local setting
``lentera.audit_rechain`` and may then change only ``prev_hash``, ``hash`` and ``key_id``
— never what a row says (time, actor, organisation, action, object, detail) — and never
delete. The trigger does not cover ``TRUNCATE`` or a role that owns the table (which may
disable triggers): docs/admin-guide.md explains how to run the application under a role
without them. On SQLite this migration does nothing.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION lentera_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('lentera.audit_rechain', true) = 'on'
       AND NEW.id = OLD.id
       AND NEW.at IS NOT DISTINCT FROM OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.actor_username IS NOT DISTINCT FROM OLD.actor_username
       AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
       AND NEW.action IS NOT DISTINCT FROM OLD.action
       AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.detail IS NOT DISTINCT FROM OLD.detail
    THEN
        RETURN NEW;  -- re-chaining after a key rotation: the hashes only
    END IF;
    RAISE EXCEPTION 'lentera: audit rows are append-only (% refused on row %)', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""
TRIGGER = """
CREATE TRIGGER lentera_audit_append_only
BEFORE UPDATE OR DELETE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION lentera_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS lentera_audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS lentera_audit_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP, None)
    schema_editor.execute(FUNCTION, None)  # None: "%" is not a placeholder
    schema_editor.execute(TRIGGER, None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP, None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_keyed_chain"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
