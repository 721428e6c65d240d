"""One error shape everywhere, in the caller's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.fields import Field

from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors"}
    for error in body["errors"]:
        assert {"field", "code", "message"} <= set(error)
    return body["errors"]


def _in(language: str, message: Any) -> str:
    with translation.override(language):
        return str(message)


def test_the_error_shape_on_every_kind_of_error(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    client = token_client(missions.editor)
    url = reverse("api:activity-detail", args=[activity.pk])
    assert _errors(token_client(None).get(url))[0]["code"] == "not_authenticated"
    assert _errors(client.get(reverse("api:activity-detail", args=[10**9])))[0] == {
        "field": None,
        "code": "not_found",
        "message": "Not found.",
    }
    invalid = _errors(client.post(reverse("api:activity-list"), {}, format="json"))
    assert invalid == [{"field": "title", "code": "required", "message": "This field is required."}]
    assert _errors(client.delete(url))[0]["code"] == "permission_denied"
    assert _errors(client.patch(url, {}, HTTP_IF_MATCH='"0.0"'))[0]["code"] == (
        "precondition_failed"
    )
    assert _errors(client.put(reverse("api:activity-list"), {}))[0]["code"] == (
        "method_not_allowed"
    )
    # Nested fields name their path.
    bad = {"name_fr": "x", "aliases": ["ok", ""]}
    nested = _errors(client.post(reverse("api:organization-list"), bad, format="json"))
    assert nested[0]["field"] == "aliases.1"


def test_any_other_api_address_answers_json_404(missions: Missions) -> None:
    client = token_client(missions.editor)
    for url in ("/api/nothing-here/", "/api/activities/abc/", f"/api/activities/{10**20}/"):
        for method in ("get", "post", "put", "delete"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url)
            assert _errors(response)[0]["code"] == "not_found"


def test_messages_follow_accept_language(missions: Missions) -> None:
    french = token_client(missions.editor, language="fr")
    response = french.post(reverse("api:activity-list"), {}, format="json")
    assert _errors(response)[0]["message"] == _in("fr", Field.default_error_messages["required"])
    assert _errors(response)[0]["message"] == "Ce champ est obligatoire."
    response = french.get(reverse("api:activity-detail", args=[10**9]))
    assert _errors(response)[0]["message"] == _in("fr", NotFound.default_detail)
    anonymous = token_client(None, language="fr").get(reverse("api:activity-list"))
    assert anonymous.status_code == 401
    assert _errors(anonymous)[0]["message"] == _in("fr", NotAuthenticated.default_detail)
    # English when asked for.
    english = token_client(missions.editor, language="en")
    response = english.post(reverse("api:activity-list"), {}, format="json")
    assert _errors(response)[0]["message"] == "This field is required."


def test_model_rules_speak_the_callers_language(missions: Missions) -> None:
    from liaison.core.models import date_order_constraint

    message = date_order_constraint("a", "b", "x").violation_error_message
    payload = {"title": "x", "planned_start": "2024-05-01", "planned_end": "2024-04-01"}
    for language in ("fr", "en"):
        client = token_client(missions.editor, language=language)
        response = client.post(reverse("api:activity-list"), payload, format="json")
        assert _errors(response)[0]["message"] == _in(language, message)


def test_a_record_still_in_use_is_kept_with_409(missions: Missions) -> None:
    position = f.position(owner=missions.a, organization=f.organization(owner=missions.a))
    url = reverse("api:organization-detail", args=[position.organization_id])
    etag = token_client(missions.manager).get(url)["ETag"]
    response = token_client(missions.manager).delete(url, HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert _errors(response)[0]["code"] == "protected"
    assert token_client(missions.manager).get(url).status_code == 200
