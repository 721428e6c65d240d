"""Lists like NetBox's in headless Chromium (issue 21): bulk edit and delete with one
confirmation, columns and page size that stay, filters as removable chips, the
organisation tree and the change log, in French and English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def english(page: Page) -> None:
    page.click("#language-switch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_bulk_edit_then_bulk_delete(page: Page, live_server: Any, demo: None, shoot: Any) -> None:
    from liaison.activities.models import Activity
    from liaison.core.models import Workspace
    from liaison.demo.data import MCD
    from liaison.partners.models import Organization
    from tests import factories

    french = Workspace.objects.get(slug=MCD)
    for name in ("Zèbre un", "Zèbre deux"):
        factories.organization(name_fr=name, owner=french)
    login(page, live_server.url, "fr-manager")
    page.goto(f"{live_server.url}/activities/")
    boxes = page.locator("#results tbody input[name=pk]")
    assert boxes.count() > 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    chosen = [int(boxes.nth(i).get_attribute("value") or 0) for i in (0, 1)]
    shoot("list-checkboxes-fr")
    page.click("button:has-text('Modifier la sélection')")
    expect(page.locator("h1")).to_have_text("Modifier 2 enregistrements")
    page.select_option("#id_status", "suspended")
    page.click("button:has-text('Vérifier les modifications')")
    expect(page.locator("h1")).to_have_text("Confirmer la modification de 2 enregistrements")
    expect(page.locator("table.bulk-preview tbody tr")).to_have_count(2)
    # Only what was asked changes (a field left empty keeps each record's value).
    changed = page.locator("table.bulk-preview tbody strong").all_inner_texts()
    assert set(changed) == {"Statut"}
    shoot("bulk-edit-confirm-fr")
    assert Activity.objects.filter(pk__in=chosen, status="suspended").count() == 0
    page.click("button:has-text('Confirmer')")
    expect(page.locator(".messages")).to_contain_text("2 enregistrements modifiés")
    assert Activity.objects.filter(pk__in=chosen, status="suspended").count() == 2

    # Delete: the header box ticks the whole (filtered) page.
    page.goto(f"{live_server.url}/organizations/?q=zebre")
    expect(page.locator(".results-head .count")).to_have_text(re.compile("2"))
    page.check("#results thead input.select-all")
    page.click("text=Supprimer la sélection")
    expect(page.locator("ul.bulk-preview li")).to_have_count(2)
    shoot("bulk-delete-confirm-fr")
    english(page)  # the confirmation page answers a POST: the switch leads to the list
    assert Organization.objects.filter(name_fr__startswith="Zèbre").count() == 2
    page.goto(f"{live_server.url}/organizations/?q=zebre")
    page.check("#results thead input.select-all")
    page.click("text=Delete selected")
    expect(page.locator("h1")).to_have_text("Delete 2 records?")
    shoot("bulk-delete-confirm-en")
    page.click("form button.danger")
    expect(page.locator(".messages")).to_contain_text("2 records deleted")
    assert Organization.objects.filter(name_fr__startswith="Zèbre").count() == 0


def test_columns_and_page_size_persist(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    login(page, live_server.url, "fr-viewer")
    page.goto(f"{live_server.url}/organizations/")
    page.click("#list-settings summary")
    settings = page.locator("#list-settings-form")
    settings.locator("input[value=acronym]").uncheck()
    settings.locator("input[value=owner]").check()
    # Owner moved up to the top (more clicks than places: the first stays first).
    for _step in range(12):
        settings.locator("li", has=page.locator("input[value=owner]")).locator(
            "button.move-up"
        ).click()
    page.select_option("#list-per-page", "25")
    shoot("list-settings-fr")
    with page.expect_navigation():
        settings.locator("button[type=submit]:not([name=reset])").click()
    # Another visit, without any query: the columns and page size stay.
    page.goto(f"{live_server.url}/organizations/")
    headers = [h.strip().lower() for h in page.locator("#results thead th").all_inner_texts()]
    assert headers[0] == "espace propriétaire"
    assert "sigle" not in headers
    assert page.locator("#results tbody tr").count() == 25
    shoot("list-columns-kept-fr")


def test_filters_show_as_removable_chips(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    login(page, live_server.url, "fr-viewer")
    page.goto(f"{live_server.url}/organizations/")
    total = page.locator(".results-head .count").inner_text()
    page.select_option("#id_kind", "school")
    chip = page.locator("ul.chips li.chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("Nature\u00a0: École")
    shoot("list-chips-fr")
    chip.locator("a.chip-remove").click()
    expect(page.locator("ul.chips")).to_have_count(0)
    expect(page.locator(".results-head .count")).to_have_text(total)
    expect(page).not_to_have_url(re.compile("kind=school"))


def test_organisation_tree_and_change_log_in_both_languages(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    login(page, live_server.url, "fr-editor")
    page.goto(f"{live_server.url}/organizations/")
    page.click("a.button:has-text('Arborescence')")
    expect(page.locator("h1")).to_have_text("Arborescence des organisations")
    nested = page.locator("table.org-tree tr.depth-1")
    assert nested.count() > 0
    # A child sits to the right of its parent.
    top = page.locator("table.org-tree tr.depth-0 td:first-child a").first.bounding_box()
    child = nested.first.locator("td:first-child a").bounding_box()
    assert top is not None
    assert child is not None
    assert child["x"] > top["x"]
    shoot("organisation-tree-fr")
    english(page)
    expect(page.locator("h1")).to_have_text("Organisation tree")
    shoot("organisation-tree-en")

    page.goto(f"{live_server.url}/changes/")
    expect(page.locator("h1")).to_have_text("Change log")
    assert page.locator("table.change-log tbody tr").count() > 5
    page.select_option("#id_kind", "partners.organization")
    page.click("form.change-filters button[type=submit]")
    kinds = page.locator("table.change-log tbody td:nth-child(3) .muted").all_inner_texts()
    assert kinds
    assert set(kinds) == {"Organisation"}
    shoot("change-log-en")
    page.click("#language-switch button[value=fr]")
    expect(page.locator("h1")).to_have_text("Journal des modifications")
    shoot("change-log-fr")


def test_french_top_bar_keeps_the_search_box_on_its_row(
    page: Page, live_server: Any, demo: None, shoot: Any
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server.url, "fr-manager")
    page.goto(f"{live_server.url}/organizations/")
    page.screenshot(path="/tmp/topbar-fr-1280.png")
    brand = page.locator(".topbar-row .brand").bounding_box()
    search = page.locator(".quick-search input").bounding_box()
    assert brand is not None
    assert search is not None
    # On the brand's row: not wrapped below it.
    assert abs((search["y"] + search["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 20
