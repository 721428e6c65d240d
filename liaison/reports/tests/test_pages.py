"""Dashboard, calendar and timeline: figures match the database, links lead to the lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.core.choices import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> Any:
    user = factories.user()
    factories.membership(user=user, workspace=factories.owner_workspace(), role=Role.EDITOR)
    return user


@pytest.fixture
def browser(officer: Any) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def test_dashboard_matrix_counts_and_links(browser: Client) -> None:
    for _ in range(3):
        factories.activity(activity_type="training", status="implementation")
    factories.activity(activity_type="equipment", status="closed")
    factories.activity(owner=factories.workspace(), activity_type="training")  # not visible
    page = browser.get("/")
    matrix = page.context["matrix"]
    by_type = {row["label"]: row for row in matrix["rows"]}
    training = by_type["Formation"] if "Formation" in by_type else by_type["Training"]
    assert training["total"].count == 3
    listed = browser.get(training["total"].url)
    assert listed.context["table"].paginator.count == 3


def test_dashboard_lists_waiting_requests_with_their_age(browser: Client) -> None:
    today = timezone.localdate()
    factories.request(received_on=today - dt.timedelta(days=12), status="received")
    factories.request(status="answered")
    waiting = browser.get("/").context["requests"]
    assert [item["age"] for item in waiting] == [12]


def test_dashboard_queries_do_not_grow(browser: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/").status_code == 200
        return len(queries)

    factories.activity()
    few = count()
    today = timezone.localdate()
    for n in range(15):
        factories.activity(title=f"Action {n}")
        factories.event(start_date=today + dt.timedelta(days=n + 1))
        factories.request(received_on=today)
    assert count() == few


def test_calendar_month_and_list(browser: Client) -> None:
    factories.event(title="Séminaire DIH", start_date=dt.date(2025, 2, 19))
    month = browser.get("/calendar/", {"month": "2025-02"})
    cells = [day for week in month.context["weeks"] for day in week if day["items"]]
    assert [day["date"] for day in cells] == [dt.date(2025, 2, 19)]
    listing = browser.get("/calendar/", {"month": "2025-02", "view": "list"})
    assert "Séminaire DIH" in listing.content.decode()
    assert browser.get("/calendar/", {"month": "2025-03"}).context["items"] == []


def test_timeline_places_activities_and_context(browser: Client) -> None:
    factories.activity(title="Appui", planned_start=dt.date(2021, 1, 1),
                       planned_end=dt.date(2021, 12, 31))  # fmt: skip
    factories.context_event(title_fr="Coup d'État", period="2020")
    page = browser.get("/timeline/")
    assert [b.title for b in page.context["activities"]] == ["Appui"]
    assert [y["year"] for y in page.context["years"]] == [2020, 2021]
    bar = page.context["activities"][0]
    assert 45 < bar.left < 55  # 2021 starts half-way through 2020-2021
