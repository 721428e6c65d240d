"""Who must use two-factor authentication, and the TOTP device helpers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core.access import has_role_anywhere


def requires_two_factor(user: Any) -> bool:
    """Managers, administrators and superusers must use a second factor."""
    if not getattr(settings, "LIAISON_REQUIRE_2FA", True):
        return False
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser) or has_role_anywhere(user, frozenset(settings.LIAISON_2FA_ROLES))


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Liaison", confirmed=False)
    return device
