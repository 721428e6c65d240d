"""Nobody sees a record outside its release through the API: not in an answer, a list,
a search, a count or an error message."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.vetting.models import VettingRequest
from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db

SECRET = "Opération Tamaris confidentielle"


def _all(client: Any, url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_an_outsider_gets_404_and_never_the_title(missions: Missions) -> None:
    private = f.activity(owner=missions.a, title=SECRET)
    outsider = token_client(missions.outsider)
    url = reverse("api:activity-detail", args=[private.pk])
    for method in ("get", "put", "patch", "delete"):
        response = getattr(outsider, method)(url, {"title": "x"}, format="json")
        assert response.status_code == 404, method
        assert "Tamaris" not in response.content.decode()
    # Exactly as for a record that does not exist.
    missing = outsider.get(reverse("api:activity-detail", args=[private.pk + 1000]))
    assert missing.content == outsider.get(url).content
    private.refresh_from_db()
    assert private.title == SECRET


def test_an_outsider_does_not_find_it_in_lists_searches_or_counts(missions: Missions) -> None:
    private = f.agreement(owner=missions.a, title=SECRET)
    released = f.agreement(owner=missions.a, title=f"{SECRET} (publiée)", release="open")
    outsider = token_client(missions.outsider)
    url = reverse("api:agreement-list")
    for query in ("", "?q=tamaris", "?q=confidentielle&ordering=title"):
        rows = _all(outsider, url + query)
        assert [r["id"] for r in rows] == [released.pk], query
    assert outsider.get(url + "?q=tamaris").json()["count"] == 1
    assert token_client(missions.viewer).get(url + "?q=tamaris").json()["count"] == 2
    assert private.pk not in [r["id"] for r in _all(outsider, reverse("api:agreement-list"))]


def test_named_release_opens_it_to_the_named_workspace(missions: Missions) -> None:
    named = f.person(owner=missions.a, release="named")
    named.released_to.add(missions.b)
    outsider = token_client(missions.outsider)
    assert outsider.get(reverse("api:person-detail", args=[named.pk])).status_code == 200
    # Seen, not owned: the outsider may not change it.
    url = reverse("api:person-detail", args=[named.pk])
    assert outsider.patch(url, {"rank": "x"}, format="json").status_code == 403


def test_children_follow_their_parent(missions: Missions) -> None:
    participant = f.participant(event=f.event(owner=missions.a))
    outsider = token_client(missions.outsider)
    url = reverse("api:participant-detail", args=[participant.pk])
    assert outsider.get(url).status_code == 404
    assert _all(outsider, reverse("api:participant-list")) == []
    assert token_client(missions.viewer).get(url).status_code == 200


def test_a_non_officer_gets_nothing_from_the_vetting_files(missions: Missions) -> None:
    person = f.person(owner=missions.a, release="open")
    file = f.vetting_request(
        owner=missions.a,
        subject_person=person,
        status="approved",
        decision_reason="Aucune allégation",
        evidence="Sources consultées",
        decided_on="2025-06-01",
        valid_until="2026-01-01",
    )
    for user in (missions.editor, missions.viewer, missions.manager):
        client = token_client(user)
        assert _all(client, reverse("api:vettingrequest-list")) == []
        url = reverse("api:vettingrequest-detail", args=[file.pk])
        assert client.get(url).status_code == 404
        payload = {"subject_person": person.pk, "requested_on": "2024-01-01"}
        response = client.post(reverse("api:vettingrequest-list"), payload, format="json")
        assert response.status_code == 403
        # ... but sees whether the subject is cleared, and until when.
        clearances = _all(client, reverse("api:clearance-list"))
        assert clearances == [
            {
                "id": file.pk,
                "subject_person": person.pk,
                "subject_organization": None,
                "status": "approved",
                "valid_until": "2026-01-01",
            }
        ]
    assert VettingRequest.objects.count() == 1
    officer = token_client(missions.officer)
    body = officer.get(reverse("api:vettingrequest-detail", args=[file.pk])).json()
    assert body["decision_reason"] == "Aucune allégation"
    # Outside the release, not even the clearance.
    assert _all(token_client(missions.outsider), reverse("api:clearance-list")) == []


def test_clearance_filters_say_nothing_of_the_file(missions: Missions) -> None:
    person = f.person(owner=missions.a)
    f.vetting_request(owner=missions.a, subject_person=person, evidence="Tamaris")
    client = token_client(missions.editor)
    url = reverse("api:clearance-list")
    assert len(_all(client, f"{url}?subject_person={person.pk}")) == 1
    # No search over the file's text: the parameter is not a filter of clearances.
    assert len(_all(client, f"{url}?q=zzzz&evidence=nothing")) == 1
