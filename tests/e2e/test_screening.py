"""Browser test: a vetting officer adjudicates a sanctions screening hit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.e2e.conftest import login

FTM = (
    Path(__file__).resolve().parents[2]
    / "liaison/vetting/tests/data/ofac_sdn_mali_subset_20240503.ftm.jsonl"
)


def test_adjudicate_a_screening_hit(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    from liaison.core.models import Workspace
    from liaison.demo.users import MCD
    from liaison.partners.models import Person
    from liaison.vetting.models import ScreeningHit
    from liaison.vetting.screening import service
    from liaison.vetting.screening.importer import import_list

    import_list(FTM, "OFAC SDN (Mali, 2024-05-03)", "ftm")
    person = Person.objects.create(
        owner=Workspace.objects.get(slug=MCD), full_name="Sadio Camara", rank="Général de brigade"
    )
    service.screen([person])
    hit = ScreeningHit.objects.get(person=person)

    login(page, live_server.url, "fr-vetting")
    page.goto(f"{live_server.url}/vetting/screening/hits/")
    assert page.locator("#hits tbody tr").count() == 1
    assert "CAMARA, Sadio" in page.inner_text("#hits")
    assert "Grade ou titre" not in page.inner_text("#hits")  # the person's rank is a field
    shoot("screening-hits")
    page.click("#hits a:has-text('Trancher')")
    page.check("input[name=decision][value=false_positive]")
    page.fill("textarea[name=reason]", "Homonyme : né en 1990, autre unité.")
    shoot("screening-adjudicate")
    page.click("form.record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Aucune correspondance ici." in page.content()
    hit.refresh_from_db()
    assert hit.status == ScreeningHit.Status.FALSE_POSITIVE
    assert hit.adjudicated_by is not None
    assert hit.adjudicated_by.username == "fr-vetting"
