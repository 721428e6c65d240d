"""End to end, in headless Chromium and in French: the officers' navigation and a batch
of vetting requests put together, exported and submitted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liaison.core.choices import Role
from liaison.core.tests.pages import member
from liaison.vetting import services
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "File de vérification"
HITS = "Criblage"


def test_officer_navigation_and_batch_page_in_french(
    page: Page, live_server: Any, shoot: Any
) -> None:
    today = timezone.localdate()
    officer = member(Role.VETTING_OFFICER)
    officer.username = "officier-verification"
    officer.save()
    editor = member(Role.EDITOR)
    editor.username = "redacteur"
    editor.save()
    batch = factories.vetting_batch(reference="Lot Ségou-04")
    requests = [
        factories.vetting_request(
            subject_person=factories.person(full_name=name),
            requested_on=today - datetime.timedelta(3),
        )
        for name in ("Harouna Haïdara", "Boubacar Maïga", "Awa Traoré")
    ]
    services.add_to_batch(batch, requests[:2], acting_user=officer)

    login(page, live_server.url, "officier-verification", "x")
    nav = page.locator("nav.main-nav")
    expect(nav.get_by_role("link", name=QUEUE)).to_be_visible()
    expect(nav.get_by_role("link", name=HITS)).to_be_visible()
    shoot("vetting-officer-nav-fr")

    page.goto(f"{live_server.url}{batch.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("Lot Ségou-04")
    expect(page.locator(".batch-count")).to_have_text("2 sujets sur 50 au plus.")
    expect(page.locator("#batch-requests table.records tbody tr")).to_have_count(2)
    page.get_by_label("Awa Traoré").check()
    page.click("form.batch-add-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("1 demande ajoutée au lot.")
    expect(page.locator("#batch-requests table.records tbody tr")).to_have_count(3)
    expect(page.get_by_role("link", name="XLSX")).to_be_visible()
    shoot("vetting-batch-fr")
    page.click("form.batch-status-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Statut du lot modifié.")
    expect(page.locator("table.fields")).to_contain_text("Soumis")
    shoot("vetting-batch-submitted-fr")

    # An editor has no vetting pages in the navigation.
    page.context.clear_cookies()
    login(page, live_server.url, "redacteur", "x")
    expect(page.locator("nav.main-nav").get_by_role("link", name=QUEUE)).to_have_count(0)
    expect(page.locator("nav.main-nav").get_by_role("link", name=HITS)).to_have_count(0)
