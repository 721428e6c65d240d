"""The vetting officers' screening page: open hits and their adjudication."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from liaison.core.choices import Role
from liaison.core.tests.pages import client_for, member, outsider
from liaison.vetting.models import ScreeningHit
from liaison.vetting.screening import service
from liaison.vetting.screening.importer import import_list
from tests import factories

pytestmark = pytest.mark.django_db

FTM = Path(__file__).parent / "data" / "ofac_sdn_mali_subset_20240503.ftm.jsonl"


@pytest.fixture
def hit() -> ScreeningHit:
    import_list(FTM, "ofac-mali", "ftm")
    person = factories.person(full_name="Sadio Camara")
    service.screen([person])
    return ScreeningHit.objects.get(person=person)


@pytest.fixture
def officer() -> Any:
    return member(Role.VETTING_OFFICER)


def test_officer_sees_open_hits_with_explanation(hit: ScreeningHit, officer: Any) -> None:
    response = client_for(officer).get(reverse("vetting:screeninghit_list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [hit]
    assert "CAMARA, Sadio" in response.content.decode()
    response = client_for(officer).get(reverse("vetting:screeninghit_list") + "?status=true_match")
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_others_see_nothing(hit: ScreeningHit, who: str) -> None:
    user = member(Role.EDITOR) if who == "editor" else outsider()
    client = client_for(user)
    response = client.get(reverse("vetting:screeninghit_list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "CAMARA" not in response.content.decode()
    url = reverse("vetting:screeninghit_adjudicate", args=[hit.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "false_positive", "reason": "x"}).status_code == 404
    hit.refresh_from_db()
    assert hit.status == ScreeningHit.Status.OPEN


def test_adjudication_needs_a_reason_and_is_recorded(hit: ScreeningHit, officer: Any) -> None:
    client = client_for(officer)
    url = reverse("vetting:screeninghit_adjudicate", args=[hit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "false_positive", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    response = client.post(url, {"decision": "false_positive", "reason": "Born 1990, other unit"})
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == ScreeningHit.Status.FALSE_POSITIVE
    assert hit.adjudicated_by == officer
    assert hit.reason == "Born 1990, other unit"
    # decided once: a second decision is refused, the first one stands
    response = client.post(url, {"decision": "true_match", "reason": "changed my mind"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    hit.refresh_from_db()
    assert hit.status == ScreeningHit.Status.FALSE_POSITIVE


def test_anonymous_is_sent_to_login(hit: ScreeningHit) -> None:
    from django.test import Client

    response = Client().get(reverse("vetting:screeninghit_list"))
    assert response.status_code == 302
