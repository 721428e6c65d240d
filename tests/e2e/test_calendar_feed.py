"""The calendar feed, from the profile page to a calendar application's request."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_make_a_calendar_address_and_read_the_feed(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    login(page, live_server.url, "us-editor")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.click("button[name=action][value=calendar]")
    expect(page.locator("#calendar-feeds")).to_contain_text("osc-mali")
    shoot("profile-calendar-feeds")
    url = page.locator("#calendar-feeds code").first.inner_text()
    # A calendar application signs in with nothing but the address.
    page.context.clear_cookies()
    feed = page.request.get(url)
    assert feed.status == 200
    text = feed.text()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in text
    assert page.request.get(url.replace(".ics", "x.ics")).status == 404
