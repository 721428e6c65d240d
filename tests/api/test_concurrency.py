"""Optimistic concurrency over HTTP: ETag on every record, If-Match on every write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.activities.models import Activity
from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db


def test_every_record_answer_carries_its_etag(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    client = token_client(missions.editor)
    url = reverse("api:activity-detail", args=[activity.pk])
    etag = client.get(url)["ETag"]
    assert etag == f'"{activity.pk}.{activity.version}"'
    response = client.patch(url, {"title": "Nouveau titre"}, format="json", HTTP_IF_MATCH=etag)
    assert response["ETag"] == f'"{activity.pk}.{activity.version + 1}"'


def test_a_stale_if_match_is_refused_and_changes_nothing(missions: Missions) -> None:
    activity = f.activity(owner=missions.a, title="Titre d'origine")
    client = token_client(missions.manager)
    url = reverse("api:activity-detail", args=[activity.pk])
    stale = client.get(url)["ETag"]
    # Someone else saves the record in between.
    response = client.patch(url, {"title": "Leur titre"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 200
    current = Activity.objects.get(pk=activity.pk)

    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            url, {"title": "Mon titre"}, format="json", HTTP_IF_MATCH=stale
        )
        assert response.status_code == 412, method
        assert response.json()["errors"][0]["code"] == "precondition_failed"
        assert response["ETag"] == f'"{current.pk}.{current.version}"'
    after = Activity.objects.get(pk=activity.pk)
    assert (after.title, after.version) == ("Leur titre", current.version)
    assert after.history.count() == current.history.count()


def test_a_current_if_match_is_accepted(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    client = token_client(missions.manager)
    url = reverse("api:activity-detail", args=[activity.pk])
    etag = client.get(url)["ETag"]
    response = client.put(url, {"title": "Titre"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    # A weak form of the same tag (as a compressing proxy makes it) and "*" match too.
    response = client.patch(
        url, {"title": "Autre"}, format="json", HTTP_IF_MATCH=f"W/{response['ETag']}"
    )
    assert response.status_code == 200
    assert client.delete(url, HTTP_IF_MATCH="*").status_code == 204


def test_an_if_match_for_another_record_or_garbage_is_refused(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    other = f.activity(owner=missions.a)
    client = token_client(missions.editor)
    url = reverse("api:activity-detail", args=[activity.pk])
    for tag in (f'"{other.pk}.{other.version}"', "garbage", '""'):
        response = client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412, tag


def test_child_records_without_version_get_a_content_etag(missions: Missions) -> None:
    enrollment = f.enrollment(session=f.session(owner=missions.a))
    client = token_client(missions.editor)
    url = reverse("api:enrollment-detail", args=[enrollment.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"result": "Admis"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    response = client.patch(url, {"result": "Ajourné"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    enrollment.refresh_from_db()
    assert enrollment.result == "Admis"


def test_an_invisible_record_is_404_before_any_precondition(missions: Missions) -> None:
    hidden = f.activity(owner=missions.b)
    client = token_client(missions.editor)
    url = reverse("api:activity-detail", args=[hidden.pk])
    response = client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH='"1.1"')
    assert response.status_code == 404


def test_a_write_without_if_match_is_refused_with_428_and_changes_nothing(
    missions: Missions,
) -> None:
    """The lost update: a client that read version 1 must not overwrite version 2 blindly."""
    activity = f.activity(owner=missions.a, title="Titre d'origine")
    url = reverse("api:activity-detail", args=[activity.pk])
    manager = token_client(missions.manager)
    # Someone else saves the record after our client read it.
    etag = manager.get(url)["ETag"]
    response = manager.patch(url, {"title": "Leur titre"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    current = Activity.objects.get(pk=activity.pk)

    for language in ("en", "fr"):
        client = token_client(missions.manager, language=language)
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url, {"title": "Mon titre"}, format="json")
            assert response.status_code == 428, (language, method, response.content)
            error = response.json()["errors"][0]
            assert set(response.json()) == {"errors"}
            assert (error["field"], error["code"]) == (None, "precondition_required")
            assert "If-Match" in error["message"]
            # Where to find the tag to send: the record's current ETag.
            assert response["ETag"] == f'"{current.pk}.{current.version}"'
        english = "Send the record's ETag"
        assert error["message"].startswith(english) == (language == "en"), error["message"]
    after = Activity.objects.get(pk=activity.pk)
    assert (after.title, after.version) == ("Leur titre", current.version)
    assert after.history.count() == current.history.count()


def test_a_child_record_needs_if_match_too(missions: Missions) -> None:
    enrollment = f.enrollment(session=f.session(owner=missions.a))
    client = token_client(missions.editor)
    url = reverse("api:enrollment-detail", args=[enrollment.pk])
    response = client.patch(url, {"result": "Admis"}, format="json")
    assert response.status_code == 428
    enrollment.refresh_from_db()
    assert enrollment.result == ""


def test_404_and_403_come_before_the_missing_precondition(missions: Missions) -> None:
    hidden = f.activity(owner=missions.b)
    client = token_client(missions.editor)
    url = reverse("api:activity-detail", args=[hidden.pk])
    assert client.patch(url, {"title": "x"}, format="json").status_code == 404
    mine = f.activity(owner=missions.a)
    url = reverse("api:activity-detail", args=[mine.pk])
    assert token_client(missions.viewer).patch(url, {}, format="json").status_code == 403
    assert client.delete(url).status_code == 403  # an editor does not delete
