"""POST /api/activities/bulk/: many activities in one call, all or nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.activities.models import Activity
from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db

URL = "/api/activities/bulk/"


def test_the_bulk_url() -> None:
    assert reverse("api:activity-bulk") == URL


def test_creates_and_updates_by_id_and_external_id(missions: Missions) -> None:
    by_id = f.activity(owner=missions.a, title="Par id")
    by_external = f.activity(owner=missions.a, title="Par identifiant", external_id="IATI-7")
    items = [
        {"title": "Nouvelle", "external_id": "IATI-8", "activity_type": "training"},
        {"id": by_id.pk, "version": 1, "status": "closed"},
        {"external_id": "IATI-7", "version": 1, "title": "Renommée"},
    ]
    response = token_client(missions.editor).post(URL, items, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"]) == (1, 2)
    assert [r["title"] for r in body["results"]] == ["Nouvelle", "Par id", "Renommée"]
    assert Activity.objects.get(external_id="IATI-8").owner == missions.a
    by_id.refresh_from_db()
    by_external.refresh_from_db()
    assert (by_id.status, by_id.version) == ("closed", 2)
    assert by_external.title == "Renommée"
    assert by_external.history.latest().channel == "api"


def test_one_bad_item_writes_nothing_and_names_its_index_and_field(missions: Missions) -> None:
    existing = f.activity(owner=missions.a, title="Inchangée")
    before = Activity.objects.count()
    items = [
        {"title": "Bonne 1"},
        {"id": existing.pk, "version": 1, "title": "Changée"},
        {"title": "", "activity_type": "training"},
        {"title": "Bonne 2", "planned_start": "2024-05-01", "planned_end": "2024-04-01"},
        {"title": "Bonne 3"},
    ]
    response = token_client(missions.editor).post(URL, items, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {(2, "title"), (3, None)}
    assert next(e for e in errors if e["index"] == 2)["code"] == "blank"
    assert Activity.objects.count() == before
    existing.refresh_from_db()
    assert (existing.title, existing.version) == ("Inchangée", 1)


def test_items_the_caller_may_not_see_or_change(missions: Missions) -> None:
    hidden = f.activity(owner=missions.b)
    theirs = f.activity(owner=missions.b, release="open")
    items = [{"id": hidden.pk, "title": "x"}, {"id": theirs.pk, "title": "y"}, {"id": 10**9}]
    response = token_client(missions.editor).post(URL, items, format="json")
    assert response.status_code == 400
    errors = [(e["index"], e["field"], e["code"]) for e in response.json()["errors"]]
    # The hidden record and one that does not exist answer alike.
    assert errors == [
        (0, "id", "not_found"),
        (1, None, "permission_denied"),
        (2, "id", "not_found"),
    ]


def test_a_stale_version_fails_its_item(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    activity.save()  # now at version 2
    items = [{"id": activity.pk, "version": 1, "title": "x"}]
    response = token_client(missions.editor).post(URL, items, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "stale"
    items[0]["version"] = 2
    assert token_client(missions.editor).post(URL, items, format="json").status_code == 200


def test_not_a_list_and_viewers(missions: Missions) -> None:
    response = token_client(missions.editor).post(URL, {"title": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_a_list"
    response = token_client(missions.viewer).post(URL, [{"title": "x"}], format="json")
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_an_update_without_version_is_refused_and_cannot_lose_a_newer_change(
    missions: Missions,
) -> None:
    """The lost update through bulk: an item that updates a record must say which
    version it read; without one, neither by id nor by external_id overwrites anything."""
    by_id = f.activity(owner=missions.a, title="Par id")
    by_external = f.activity(owner=missions.a, title="Par identifiant", external_id="IATI-7")
    # Someone else changes both after our client read them (at version 1).
    for activity in (by_id, by_external):
        activity.title = "Leur titre"
        activity.save()
    before = Activity.objects.count()
    items = [
        {"title": "Nouvelle", "external_id": "IATI-8"},  # a creation needs no version
        {"id": by_id.pk, "title": "Mon titre"},
        {"external_id": "IATI-7", "title": "Mon titre"},
    ]
    for language, message in (("en", "Give the version"), ("fr", "Donnez la version")):
        response = token_client(missions.editor, language=language).post(URL, items, format="json")
        assert response.status_code == 400, response.content
        errors = response.json()["errors"]
        assert [(e["index"], e["field"], e["code"]) for e in errors] == [
            (1, "version", "required"),
            (2, "version", "required"),
        ]
        assert errors[0]["message"].startswith(message), errors[0]["message"]
    assert Activity.objects.count() == before
    for activity in (by_id, by_external):
        activity.refresh_from_db()
        assert (activity.title, activity.version) == ("Leur titre", 2)
    # With the version it read (1), each is stale; with the current one (2), it applies.
    items[1]["version"] = items[2]["version"] = 1
    response = token_client(missions.editor).post(URL, items, format="json")
    assert [e["code"] for e in response.json()["errors"]] == ["stale", "stale"]
    items[1]["version"] = items[2]["version"] = 2
    response = token_client(missions.editor).post(URL, items, format="json")
    assert response.status_code == 200, response.content
    assert [r["title"] for r in response.json()["results"]] == ["Nouvelle", *["Mon titre"] * 2]
