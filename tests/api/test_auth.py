"""Who may call the API: token or session; and the profile page that makes tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from liaison.core.choices import Role
from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db


def test_a_token_opens_the_api(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    response = token_client(missions.viewer).get(reverse("api:activity-detail", args=[activity.pk]))
    assert response.status_code == 200


def test_no_token_or_a_wrong_one_is_401(missions: Missions) -> None:
    url = reverse("api:activity-list")
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(url).status_code == 401
    for path in ("/api/", "/api/schema/", "/api/clearances/", "/api/countries/"):
        assert APIClient().get(path).status_code == 401, path


def test_an_inactive_users_token_is_refused(missions: Missions) -> None:
    client = token_client(missions.viewer)
    missions.viewer.is_active = False
    missions.viewer.save()
    assert client.get(reverse("api:activity-list")).status_code == 401


def test_a_session_opens_the_api_too(missions: Missions) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(missions.editor)
    assert client.get(reverse("api:activity-list")).status_code == 200
    # Writes over a session need the CSRF token, as forms do.
    response = client.post(reverse("api:activity-list"), {"title": "x"}, format="json")
    assert response.status_code == 403


def test_a_session_that_owes_its_second_factor_does_not(missions: Missions, settings: Any) -> None:
    settings.LIAISON_REQUIRE_2FA = True
    client = APIClient()
    client.force_login(missions.manager)  # managers must use a second factor
    assert client.get(reverse("api:activity-list")).status_code in (401, 403)
    # Nor may it make itself a token on the profile page.
    page = Client()
    page.force_login(missions.manager)
    response = page.post(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    assert not Token.objects.filter(user=missions.manager).exists()


def test_the_profile_page_shows_memberships_and_makes_tokens(missions: Missions) -> None:
    f.membership(user=missions.editor, workspace=missions.b, role=Role.VIEWER)
    page = Client()
    page.force_login(missions.editor)
    response = page.get(reverse("profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mission A" in html
    assert "Mission B" in html
    assert not Token.objects.filter(user=missions.editor).exists()

    response = page.post(reverse("profile"), {"action": "create"})
    first = Token.objects.get(user=missions.editor).key
    assert first in response.content.decode()  # shown once...
    assert response["Cache-Control"] == "no-store"
    assert first not in page.get(reverse("profile")).content.decode()  # ... and never again

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get(reverse("api:activity-list")).status_code == 200

    page.post(reverse("profile"), {"action": "create"})  # replaces it
    second = Token.objects.get(user=missions.editor).key
    assert second != first
    assert api.get(reverse("api:activity-list")).status_code == 401

    page.post(reverse("profile"), {"action": "revoke"})
    assert not Token.objects.filter(user=missions.editor).exists()


def test_the_profile_page_needs_a_login() -> None:
    response = Client().get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
