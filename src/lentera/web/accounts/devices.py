"""Whether a user has a confirmed second-factor device, cheaply enough to ask on every request.

The two-factor gate (``accounts.middleware``) asks this on every page of a signed-in user
whose session is not verified yet (a caseworker without an authenticator: every page).
``django_otp.user_has_device`` walks every model of every installed app to find the device
models, then queries each of them, on each call. Here the device models are listed once per
process, and the answer is kept in the session beside the user's ``second_factor_epoch``: a
counter every save or delete of any of the user's devices moves (signal receivers, connected
by ``AccountsConfig.ready``). The user row is read on every request anyway, so a session
reuses its answer only while no device of the user was added, confirmed, changed or removed
since — from any session, any process — and asks the database again otherwise: the gate is
as strict as asking every time.
"""

from __future__ import annotations

import functools
from typing import Any

import django_otp
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django_otp.models import Device

from lentera.web.accounts.models import User

#: session key of ``[second_factor_epoch, has_confirmed_device]``
SESSION_KEY = "_lentera_2fa_devices"


@functools.cache
def device_models() -> tuple[type[Device], ...]:
    """Every concrete device model of the installed apps (looked up once per process)."""
    return tuple(django_otp.device_classes())


def has_confirmed_device(user: User) -> bool:
    """True if the user has a confirmed device of any kind (authenticator, recovery codes)."""
    return any(
        model.objects.filter(user_id=user.pk, confirmed=True).exists() for model in device_models()
    )


def session_has_confirmed_device(request: HttpRequest, user: User) -> bool:
    """:func:`has_confirmed_device`, reused from the session while the user's devices are unchanged."""
    epoch = user.second_factor_epoch  # read before the devices: a change after it moves it
    kept = request.session.get(SESSION_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == epoch:
        return bool(kept[1])
    answer = has_confirmed_device(user)
    request.session[SESSION_KEY] = [epoch, answer]
    return answer


def _devices_changed(sender: type[Device], instance: Device, **kwargs: Any) -> None:
    User.objects.filter(pk=instance.user_id).update(
        second_factor_epoch=F("second_factor_epoch") + 1
    )


def connect_device_signals() -> None:
    """Move a user's ``second_factor_epoch`` on every save or delete of one of their devices."""
    for model in device_models():
        post_save.connect(_devices_changed, sender=model, dispatch_uid=f"2fa-epoch-save-{model}")
        post_delete.connect(_devices_changed, sender=model, dispatch_uid=f"2fa-epoch-del-{model}")
