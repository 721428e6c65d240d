"""The global search and the pickers find agreements, activities, requests and
assignments by their registered fields, within what the user may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.core.choices import Release
from tests import factories as f

from .conftest import Mission

pytestmark = pytest.mark.django_db


def test_search_finds_the_records_by_their_fields(mission: Mission, other_mission: Mission) -> None:
    ws = mission.workspace
    activity = f.activity(owner=ws, iati_identifier="FR-3-2024-EMP")
    agreement = f.agreement(owner=ws, reference="CONV-2015-ML")
    request = f.request(owner=ws, description="Répondre sur court préavis")
    person = f.person(owner=ws, full_name="Harouna Haïdara")
    assignment = f.assignment(owner=ws, person=person)
    hidden = f.activity(owner=other_mission.workspace, iati_identifier="FR-3-2024-SECRET")
    client = mission.client("viewer")
    for query, record in (
        ("fr-3-2024-emp", activity),
        ("conv 2015", agreement),
        ("preavis", request),
        ("haidara", assignment),
    ):
        page = client.get(reverse("search"), {"q": query}).content.decode()
        assert record.get_absolute_url() in page, query
    page = client.get(reverse("search"), {"q": "secret"}).content.decode()
    assert hidden.get_absolute_url() not in page


def test_the_activity_picker_offers_only_visible_activities(
    mission: Mission, other_mission: Mission
) -> None:
    mine = f.activity(owner=mission.workspace, title="Formation DIH")
    shared = f.activity(
        owner=other_mission.workspace, title="Formation DIH US", release=Release.OPEN
    )
    f.activity(owner=other_mission.workspace, title="Formation DIH privée")
    url = reverse("autocomplete", args=["activities", "activity"])
    results = mission.client("editor").get(url, {"q": "formation dih"}).json()["results"]
    assert {r["id"] for r in results} == {mine.pk, shared.pk}
