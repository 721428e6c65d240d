"""End to end, in headless Chromium: importing activities from a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "external_id,title,activity_type,planned_start,planned_end,organisations\n"


def test_upload_preview_and_confirm_an_import(
    page: Page, live_server: Any, demo: None, shoot: Any, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    from liaison.activities.models import Activity

    bad = tmp_path / "activites.csv"
    bad.write_text(
        HEADER
        + "E2E-1,Formation des formateurs,training,2025-03-01,2025-03-05,funding:DCSD\n"
        + "E2E-2,Appui logistique,logistique,2025-04-01,2025-03-01,funding:Inconnue\n",
        encoding="utf-8",
    )
    login(page, live_server.url, "fr-editor")
    page.goto(f"{live_server.url}/activities/")
    page.get_by_role("link", name="Importer", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Importer")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-upload button[type=submit]")
    expect(page.locator("#import-rows")).to_contain_text("introuvable")
    expect(page.locator("#import-confirm")).to_have_count(0)
    shoot("import-preview-refused")
    assert not Activity.objects.filter(external_id__startswith="E2E-").exists()

    good = tmp_path / "activites-corrigees.csv"
    good.write_text(
        HEADER
        + "E2E-1,Formation des formateurs,training,2025-03-01,2025-03-05,funding:DCSD\n"
        + "E2E-2,Appui logistique,logistics,2025-03-01,2025-04-01,\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/imports/activities/")
    page.set_input_files("input[name=file]", str(good))
    page.click("#import-upload button[type=submit]")
    expect(page.locator("#import-counts")).to_contain_text("2")
    expect(page.locator("#import-confirm")).to_be_visible()
    shoot("import-preview-ok")
    page.click("#import-confirm button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Importé")
    shoot("import-done")
    assert Activity.objects.filter(external_id__startswith="E2E-").count() == 2
