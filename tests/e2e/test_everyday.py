"""Everyday use in headless Chromium (issue 21): the French timeline draws, a filter
saved after filtering in place keeps that filter, error pages keep the app around
them, and narrow screens get a menu and folded filters."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_timeline_in_french_draws_with_sane_coordinates(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server.url, "fr-viewer")
    page.goto(f"{live_server.url}/timeline/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Actions de coopération au regard du contexte")
    rects = page.locator(".timeline-chart rect")
    assert rects.count() > 3
    for attribute in ("x", "width"):
        values = rects.evaluate_all(f"els => els.map(e => e.getAttribute('{attribute}'))")
        for value in values:
            assert re.fullmatch(r"\d+(\.\d+)?%", value), value
            assert 0 <= float(value.rstrip("%")) <= 100
    # What the browser drew: every bar inside the chart, with a width.
    chart = page.locator(".timeline-chart").bounding_box()
    assert chart is not None
    boxes = rects.evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect(); return [b.x, b.width]; })"
    )
    for x, width in boxes:
        assert width > 0
        assert chart["x"] - 1 <= x <= chart["x"] + chart["width"] + 1
    ticks = page.locator(".timeline-chart svg.axis line").evaluate_all(
        "els => els.map(e => e.x1.baseVal.value)"
    )
    assert len(ticks) > 1
    assert ticks == sorted(ticks)
    assert ticks[-1] > ticks[0]
    shoot("timeline-fr")
    assert errors == []


def test_save_a_filter_after_filtering_in_place(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    from liaison.core.models import SavedFilter

    login(page, live_server.url, "fr-editor")
    page.goto(f"{live_server.url}/organizations/")
    total = page.locator(".results-head .count").inner_text()
    page.select_option("#id_kind", "school")  # HTMX: the results change in place
    expect(page).to_have_url(re.compile(r"kind=school"))
    expect(page.locator(".results-head .count")).not_to_have_text(total)
    page.fill("#saved-filter-name", "Écoles")
    with page.expect_navigation():
        page.click("#saved-filter-form button[type=submit]")
    saved = SavedFilter.objects.get(name="Écoles")
    assert parse_qs(saved.query).get("kind") == ["school"]
    expect(page).to_have_url(re.compile(r"kind=school"))
    expect(page.locator(".saved-filters")).to_contain_text("Écoles")
    shoot("saved-filter-after-htmx")
    # Sorting in place is part of the filter too.
    page.goto(f"{live_server.url}/organizations/")
    page.select_option("#id_kind", "school")
    expect(page).to_have_url(re.compile(r"kind=school"))
    page.locator("#results thead th a").first.click()
    expect(page).to_have_url(re.compile(r"sort="))
    page.fill("#saved-filter-name", "Écoles triées")
    with page.expect_navigation():
        page.click("#saved-filter-form button[type=submit]")
    sorted_query = parse_qs(SavedFilter.objects.get(name="Écoles triées").query)
    assert sorted_query.get("kind") == ["school"]
    assert "sort" in sorted_query


def test_error_pages_keep_the_layout_in_both_languages(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    from liaison.core.models import Workspace
    from tests import factories

    # A record of the US office, not released to the French mission.
    hidden = factories.activity(
        owner=Workspace.objects.get(slug="osc-mali"), title="Opération réservée", release="private"
    )
    hidden_pk = hidden.pk
    login(page, live_server.url, "fr-viewer")
    answer = page.goto(f"{live_server.url}/activities/{hidden_pk}/")
    assert answer is not None
    assert answer.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Page non trouvée")
    expect(page.locator("nav.main-nav")).to_contain_text("Organisations")
    expect(page.locator("main")).not_to_contain_text("Opération réservée")
    hidden_body = page.locator("main").inner_html()
    shoot("error-404-fr")
    missing = page.goto(f"{live_server.url}/activities/99999999/")
    assert missing is not None
    assert missing.status == 404
    assert page.locator("main").inner_html() == hidden_body
    # The language switch works from the error page itself.
    page.click("#language-switch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Page not found")
    shoot("error-404-en")
    page.click("text=Back to the home page")
    expect(page).to_have_url(f"{live_server.url}/")


def test_narrow_screen_menu_and_folded_filters(browser: Any, live_server: Any, demo: None) -> None:
    from tests.e2e.conftest import SCREENSHOTS

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, live_server.url, "fr-editor")
        page.goto(f"{live_server.url}/activities/")
        expect(page.locator("nav.main-nav")).to_be_hidden()
        menu = page.locator("#narrow-nav")
        expect(menu.locator("summary")).to_be_visible()
        expect(menu.locator("a", has_text="Organisations")).to_be_hidden()
        # The filters are folded above the table, which comes first on the screen.
        expect(page.locator("#filters-panel > summary")).to_be_visible()
        expect(page.locator("#filter-form")).to_be_hidden()
        table = page.locator("#results table").bounding_box()
        assert table is not None
        assert table["y"] < 844
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "narrow-list-fr.png"))
        page.locator("#filters-panel > summary").click()
        expect(page.locator("#filter-form")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "narrow-filters-open-fr.png"))
        menu.locator("summary").click()
        expect(menu.locator("a", has_text="Organisations")).to_be_visible()
        expect(menu.locator("a", has_text="Carte")).to_be_visible()  # from "More" too
        page.screenshot(path=str(SCREENSHOTS / "narrow-menu-open-fr.png"))
        menu.locator("a", has_text="Organisations").click()
        expect(page).to_have_url(f"{live_server.url}/organizations/")
        expect(page.locator("h1")).to_have_text("Organisations")
        # Every page fits the width: nothing scrolls sideways but the table itself.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()
