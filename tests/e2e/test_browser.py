"""End to end, in headless Chromium: what an officer does all day."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_search_with_and_without_accents(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    login(page, live_server.url, "fr-editor")
    expect(page.locator("h1")).to_contain_text("Mission de coopération")
    shoot("home-fr")
    for query in ("haidara", "Haïdara", "HAIDARA"):
        page.fill("form.quick-search input[name=q]", query)
        page.press("form.quick-search input[name=q]", "Enter")
        expect(page.locator("#search-results")).to_contain_text("Harouna Haïdara")
    page.fill("#search-q", "ecowas")
    page.press("#search-q", "Enter")
    expect(page.locator("#search-results")).to_contain_text("CEDEAO")
    shoot("search-ecowas")


def test_filter_a_list_in_place_and_export_it(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    login(page, live_server.url, "fr-editor")
    page.goto(f"{live_server.url}/organizations/")
    total = page.locator(".results-head .count").inner_text()
    page.select_option("#id_kind", "school")
    # HTMX swaps the results in place and keeps the filter in the address.
    expect(page).to_have_url(re.compile(r"kind=school"))
    expect(page.locator(".results-head .count")).not_to_have_text(total)
    expect(page.locator("#results table")).to_contain_text("EMP")
    shoot("organizations-filtered")
    with page.expect_download() as download_info:
        page.click("text=CSV")
    content = open(download_info.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "EMP" in content
    assert "Garde nationale" not in content


def test_switch_language(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    login(page, live_server.url, "fr-viewer")
    page.goto(f"{live_server.url}/organizations/")
    page.click("#language-switch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Organisations")
    shoot("organizations-en")
    page.click("#language-switch button[value=fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    shoot("organizations-fr")


def test_concurrent_edit_is_refused(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    login(page, live_server.url, "fr-editor")
    page.goto(f"{live_server.url}/organizations/?q=garde")
    page.click("#results table a >> text=Garde nationale du Mali")
    page.wait_for_url(re.compile(r"/organizations/\d+/$"))
    edit_url = page.url + "edit/"
    second = page.context.new_page()
    page.goto(edit_url)
    second.goto(edit_url)
    second.fill("#id_description", "Saved first by a colleague.")
    second.click("form.record-form button[type=submit]")
    expect(second.locator(".messages")).to_be_visible()
    page.fill("#id_description", "My outdated change.")
    page.click("form.record-form button[type=submit]")
    expect(page.locator(".errorlist-box")).to_be_visible()
    shoot("concurrent-edit-refused")
    page.goto(edit_url.removesuffix("edit/"))
    expect(page.locator("table.fields")).to_contain_text("Saved first by a colleague.")


def test_create_and_edit_an_activity(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    login(page, live_server.url, "fr-editor")
    page.goto(f"{live_server.url}/activities/add/")
    page.fill("#id_title", "Formation au déminage des unités de la garde nationale")
    page.select_option("#id_activity_type", "training")
    page.select_option("#id_status", "pipeline")
    page.fill("#id_planned_start", "2026-03-02")
    page.fill("#id_planned_end", "2026-03-20")
    shoot("activity-add")
    page.click("form.record-form button[type=submit]")
    page.wait_for_url(re.compile(r"/activities/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Formation au déminage")
    page.click("a.button >> text=Modifier")
    page.fill("#id_title", "Formation au déminage (garde nationale, Bamako)")
    page.select_option("#id_status", "implementation")
    page.click("form.record-form button[type=submit]")
    page.wait_for_url(re.compile(r"/activities/\d+/$"))
    expect(page.locator("h1")).to_contain_text("(garde nationale, Bamako)")
    expect(page.locator("#history")).to_contain_text("fr-editor")
    shoot("activity-detail")
