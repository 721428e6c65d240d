"""Rate limits per user (so per token): past the rate, 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db


def _rates(settings: Any, burst: str, sustained: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"burst": burst, "sustained": sustained},
    }


@pytest.mark.parametrize(("burst", "sustained"), [("3/min", "1000/hour"), ("100/min", "3/hour")])
def test_past_the_rate_the_api_answers_429(
    missions: Missions, settings: Any, burst: str, sustained: str
) -> None:
    _rates(settings, burst, sustained)
    client = token_client(missions.viewer)
    url = reverse("api:activity-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == "throttled"
    # The limit is per user: another token is not held back.
    assert token_client(missions.editor).get(url).status_code == 200


def test_the_default_rates_come_from_settings() -> None:
    from django.conf import settings

    from liaison import settings as production

    rates = production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) == {"burst", "sustained"}
    # Tests run with rates far above what they send (liaison.settings_test).
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["sustained"] == "1000000/hour"


def test_the_rates_are_read_from_the_environment() -> None:
    import os
    import subprocess
    import sys

    code = "from liaison import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    env = {**os.environ, "LIAISON_API_RATE": "42/hour", "LIAISON_API_BURST_RATE": "7/min"}
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "{'burst': '7/min', 'sustained': '42/hour'}"
