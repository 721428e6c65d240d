"""Rate limits per user (and so per token): a sustained rate and a burst rate.

The rates are read from settings at each request, not at import, so that
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] can be changed by configuration or a test.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class _SettingsRateThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.")
        rate: str | None = rates[self.scope]
        return rate


class BurstRateThrottle(_SettingsRateThrottle):
    scope = "burst"


class SustainedRateThrottle(_SettingsRateThrottle):
    scope = "sustained"
