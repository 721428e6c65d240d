"""The example workspace of the demo (fictitious data) in headless Chromium: the
timeline, the calendar and the analysis show its records."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def example(demo: None) -> str:
    """The demo with its example workspace; the month of the example's first activity
    that a calendar shows (YYYY-MM)."""
    from django.core.management import call_command

    from liaison.activities.models import Activity

    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = Activity.objects.filter(owner__slug="exemple").order_by("planned_start").first()
    assert first is not None
    assert first.planned_start is not None
    return f"{first.planned_start:%Y-%m}"


def test_the_example_workspace_fills_timeline_calendar_and_analysis(
    page: Page, live_server: Any, example: str, shoot: Any
) -> None:
    login(page, live_server.url, "exemple-viewer")
    expect(page.locator("body")).to_contain_text("Exemple — données fictives")
    shoot("example-dashboard-fr")
    page.goto(f"{live_server.url}/timeline/")
    activities = page.locator(".timeline-chart rect.activity")
    expect(activities.first).to_be_visible()
    assert activities.count() >= 20
    expect(page.locator(".timeline-chart rect.context").first).to_be_attached()
    shoot("example-timeline-fr")
    page.goto(f"{live_server.url}/calendar/?month={example}")
    expect(page.locator("table.calendar a.item").first).to_be_visible()
    shoot("example-calendar-fr")
    page.goto(f"{live_server.url}/analysis/")
    expect(page.locator("h1")).to_have_text("Analyse du portefeuille")
    type_rows = page.locator("#figure-type table tbody tr")
    assert type_rows.count() >= 5
    expect(page.locator("#figure-over_time svg").first).to_be_visible()
    shoot("example-analysis-fr")
    page.goto(f"{live_server.url}/analysis/training/")
    expect(page.locator("#figure-nationality table tbody tr").first).to_be_visible()
    shoot("example-training-fr")
