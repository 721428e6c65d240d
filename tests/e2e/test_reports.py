"""The analysis pages and the map in headless Chromium: drawn without any script or
network, a region leads to its records, and the PDF button downloads the report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from liaison.reports.tests.needs_pdf import needs_pdf
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@needs_pdf
def test_analysis_pages_and_map(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    login(page, live_server.url, "fr-viewer")
    page.goto(f"{live_server.url}/analysis/")
    expect(page.locator("h1")).to_have_text("Analyse du portefeuille")
    expect(page.locator("#figure-type svg title").first).to_have_text("Actions par type")
    expect(page.locator("#figure-type table")).to_contain_text("Formation")
    shoot("analysis-portfolio-fr")
    page.goto(f"{live_server.url}/analysis/training/")
    expect(page.locator("#figure-school table")).to_contain_text("ENVR")
    expect(page.locator("#figure-loac")).to_be_visible()
    shoot("analysis-training-fr")
    page.goto(f"{live_server.url}/map/")
    expect(page.locator(".map-note")).to_contain_text("Ménaka")
    shoot("map-fr")
    # Bamako (the district) holds the two activities of the peacekeeping school.
    page.locator('svg.map a path[data-code="ML-BKO"]').click()
    expect(page).to_have_url(re.compile(r"selected=ML-BKO"))
    expect(page.locator("#region-panel")).to_contain_text("Bamako")
    page.locator("#region-panel a").first.click()
    expect(page).to_have_url(re.compile(r"/activities/\?.*region="))
    expect(page.locator(".results-head .count")).to_contain_text("2")
    assert all(url.startswith(live_server.url) for url in requests)
    page.goto(f"{live_server.url}/analysis/")
    page.select_option("#report-year", "2016")
    page.click(".report-form button[type=submit]")
    expect(page.locator("#task-run")).to_contain_text("Terminé")
    with page.expect_download() as download:
        page.click("#task-run a")
    assert open(download.value.path(), "rb").read(4) == b"%PDF"  # noqa: SIM115


def test_analysis_in_english(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    login(page, live_server.url, "us-viewer")
    page.goto(f"{live_server.url}/analysis/")
    page.click("#language-switch button[value=en]")
    expect(page.locator("h1")).to_have_text("Portfolio analysis")
    expect(page.locator("#figure-type svg title").first).to_have_text("Activities by type")
    shoot("analysis-portfolio-en")
    page.goto(f"{live_server.url}/map/?kind=activities")
    expect(page.locator("svg.map title").first).to_have_text("Activities by region of Mali")
    shoot("map-en")
