"""End to end, in headless Chromium: a vetting officer works through the queue."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liaison.core.choices import Role
from liaison.core.tests.pages import member
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_decides_from_the_queue(page: Page, live_server: Any, shoot: Any) -> None:
    today = timezone.localdate()
    officer = member(Role.VETTING_OFFICER)
    officer.username = "officier-criblage"
    officer.save()
    session = factories.session(name="Promotion DIH", start_date=today + datetime.timedelta(20))
    for name, age in (("Harouna Haïdara", 12), ("Boubacar Maïga", 3)):
        enrollment = factories.enrollment(session=session, person=factories.person(full_name=name))
        factories.vetting_request(
            subject_person=enrollment.person,
            enrollment=enrollment,
            requested_on=today - datetime.timedelta(age),
        )
    login(page, live_server.url, "officier-criblage", "x")
    page.goto(f"{live_server.url}/vetting/queue/")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Harouna Haïdara")  # the oldest first
    shoot("vetting-queue")
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/vetting/\d+/$"))
    page.select_option("#id_status", "approved")
    page.fill("#id_reason", "Aucune information défavorable dans les sources consultées.")
    page.fill("#id_evidence", "Rapports MINUSMA 2022-2023 ; presse malienne.")
    shoot("vetting-decide")
    page.click("form.decide-form button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("table.fields")).to_contain_text("Aucune information défavorable")
    shoot("vetting-decided")
    page.goto(f"{live_server.url}/vetting/queue/")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/vetting/coverage/session/{session.pk}/")
    expect(page.locator("table.coverage tr.cleared")).to_have_count(1)
    expect(page.locator("table.coverage tr.not-cleared")).to_have_count(1)
    shoot("vetting-coverage")
