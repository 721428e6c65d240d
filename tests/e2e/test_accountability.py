"""End to end, in headless Chromium: a trained unit later implicated in an incident,
flagged on its page, listed in "where are they now", shown to the vetting officer on a
new request; nothing of the private incident reaches another workspace."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from liaison.core.choices import Role
from liaison.core.tests.pages import member, outsider
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def test_where_are_they_now_and_the_vetting_gate(page: Page, live_server: Any, shoot: Any) -> None:
    unit = factories.organization(name_fr="33e régiment de commandos parachutistes")
    session = factories.session(name="Stage DIH 2018", start_date=D(2018, 3, 1))
    factories.enrollment(
        session=session, person=factories.person(full_name="Awa Diarra"), unit=unit
    )
    coup = factories.incident(
        title="Prise du pouvoir à Kati",
        kind="coup",
        status="established",
        established_by="Commission d'enquête de la CEDEAO",
        start_date=D(2020, 8, 18),
    )
    factories.implication(incident=coup, organization=unit, role="perpetrator")
    officer = member(Role.VETTING_OFFICER)
    officer.username = "officier"
    officer.save()
    request = factories.vetting_request(subject_organization=unit, subject_person=None)

    login(page, live_server.url, "officier", "x")
    page.goto(f"{live_server.url}{unit.get_absolute_url()}")
    expect(page.locator("section.related")).to_contain_text("incident établi")
    expect(page.locator("section.related")).to_contain_text("Prise du pouvoir à Kati")
    shoot("accountability-unit-flag")

    page.goto(f"{live_server.url}/accountability/")
    row = page.locator("table.where-now tr.flagged", has_text="33e régiment")
    expect(row).to_contain_text("Prise du pouvoir à Kati")
    expect(row).to_contain_text("Stage DIH 2018")
    shoot("accountability-where-now")

    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    expect(page.locator("section.related")).to_contain_text("Prise du pouvoir à Kati")
    expect(page.locator("section.related")).to_contain_text("Établi par Commission")
    # Shown, not decided: the request is still open for the officer's decision.
    expect(page.locator("#decision")).to_be_visible()
    shoot("accountability-vetting")

    stranger = outsider()
    stranger.username = "autre"
    stranger.save()
    page.context.clear_cookies()
    login(page, live_server.url, "autre", "x")
    for path in ("/accountability/", "/incidents/", "/search/?q=Kati"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main")).not_to_contain_text("Prise du pouvoir")
        expect(page.locator(f"a[href='{coup.get_absolute_url()}']")).to_have_count(0)
    response = page.goto(f"{live_server.url}{coup.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
    api = page.request.get(f"{live_server.url}/api/incidents/")
    assert api.status == 200
    assert "Kati" not in api.text()
