"""Key the audit chain: every existing row is re-chained with an HMAC under the key ring.

The old chain was verified first (a broken chain stops the migration, so nothing is
laundered); from here on an unkeyed row is itself a sign of tampering.
"""

import hashlib
import hmac
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _fields(event):
    return {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
    }


def _payload(event):
    return json.dumps(_fields(event), sort_keys=True, separators=(",", ":"), default=str)


def key_the_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    if not AuditEvent.objects.exists():
        return
    from lentera.web.audit.services import audit_key, current_key_id

    key_id = current_key_id()
    key = audit_key(key_id)
    prev_old = prev_new = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        message = f"{prev_old}|{_payload(event)}".encode()
        if event.prev_hash != prev_old or hashlib.sha256(message).hexdigest() != event.hash:
            raise RuntimeError(
                f"audit row {event.pk} does not verify under the old chain; run "
                "`lentera audit verify` on the previous version before upgrading"
            )
        prev_old = event.hash
        new = hmac.new(key, f"{prev_new}|{_payload(event)}".encode(), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev_new, hash=new, key_id=key_id)
        prev_new = new
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev_new})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(key_the_chain, migrations.RunPython.noop),
    ]
