"""End to end, in headless Chromium (issue 16): real articles pasted, the submit answering
at once while the reading runs behind, two proposals corrected, a person rejected, the rest
accepted; then the records found linked, each link with its citation.

The articles are the two the project ships (liaison/demo/documents, their SOURCES.md):
the French embassy's page on French military cooperation in Mali (last modified
16/05/2016) and a press article on the DIILS training in Mali (February 2025).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from liaison.intake.tests.conftest import DIILS, SAMPLES
from tests.e2e.conftest import SCREENSHOTS, login
from tests.e2e.test_intake import analyst, pipeline_missing  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

FRENCH_PAGE = SAMPLES / "fr-cooperation-militaire-mali-2016.txt"
READING = 120_000  # the first reading loads the language model


def paste(page: Page, base_url: str, path: Any, title: str) -> tuple[float, float]:
    """Paste the article and submit it; the seconds until the submit answered, and until
    the document's page was shown."""
    page.goto(f"{base_url}/intake/add/")
    page.fill("#id_text", path.read_text(encoding="utf-8"))
    page.fill("#id_title", title)
    page.select_option("#id_kind", "press_article")
    began = time.monotonic()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click("form.upload-form button[type=submit]")
    answered = time.monotonic() - began
    page.wait_for_url(re.compile(r"/intake/\d+/$"), wait_until="domcontentloaded")
    return answered, time.monotonic() - began


def expect_on_record(page: Page, url: str, name: str, *texts: str) -> None:
    """Open the record `name` from the list at `url`; its page says each of `texts`."""
    page.goto(url)
    page.click(f'#results table tbody a >> text="{name}"')
    for text in texts:
        expect(page.locator("main")).to_contain_text(text)


def card(page: Page, kind: str, text: str) -> Any:
    return page.locator(f"article.proposal.k-{kind}", has_text=text).first


def correct(page: Page, proposal: Any, values: dict[str, str]) -> None:
    pid = proposal.get_attribute("id")
    proposal.locator("a.button[href*='/edit/']").click()
    for name, value in values.items():
        page.fill(f"#{pid} input[name$='-{name}']", value)
    page.locator(f"#{pid} form.edit-form button[type=submit]").click()
    expect(page.locator(f"#{pid}.accepted")).to_be_visible()


@pytest.mark.usefixtures("analyst")
def test_pasted_articles_become_linked_records(
    page: Page,
    live_server: Any,
    shoot: Any,
    settings: Any,
) -> None:
    if pipeline_missing():
        pytest.skip("the intake pipeline is not there")
    settings.LIAISON_TASKS_DETACH = True  # as deployed: the reading runs behind the page
    login(page, live_server.url, "analyste")

    # The press article (4,732 characters): the page answers at once and shows progress.
    assert len(DIILS.read_text(encoding="utf-8")) > 4_700
    answered, shown = paste(page, live_server.url, DIILS, "Coopération de défense États-Unis-Mali")
    print(f"submit answered in {answered:.3f} s, page shown in {shown:.3f} s")
    assert answered < 1.0
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("#progress-refresh")).to_be_visible()  # without JavaScript too
    shoot("intake-links-progress")
    expect(page.locator("#proposals")).to_contain_text("Haïdara", timeout=READING)
    diils_url = page.url

    # Each name on its own mark; hovering a proposal lights its mentions.
    expect(page.locator("#text mark.m-person").first).to_be_visible()
    haidara = card(page, "person", "Harouna Haïdara")
    number = haidara.get_attribute("data-number")
    haidara.hover()
    expect(page.locator(f"#text mark.lit[data-p~='{number}']").first).to_be_visible()
    page.locator(f"#text mark[data-p~='{number}']").first.focus()
    expect(haidara).to_have_class(re.compile(r"\blit\b"))
    shoot("intake-links-review")
    page.screenshot(path=str(SCREENSHOTS / "intake-links-review-viewport.png"))

    # Correction 1: his function, as the position's title (his rank stays his rank).
    correct(page, haidara, {"position": "chef de cabinet"})
    # Correction 2: the training event, its title, organiser and beneficiary.
    event = card(page, "event", "droit militaire")
    correct(
        page,
        event,
        {
            "title": "Formation au droit des conflits armés",
            "donor": "Defence Institute of International Legal Studies",
            "beneficiary": "forces armées maliennes",
        },
    )
    # Rejecting a person the event lists: the page says the link is dropped.
    bain = card(page, "person", "Wallace Bain")
    bain.locator("button.reject").click()
    rejected = page.locator("article.proposal.rejected", has_text="Wallace Bain")
    expect(rejected.locator(".linked-from")).to_contain_text("Événement de formation")
    page.reload()
    dropped = card(page, "event", "Formation au droit").locator(".link-note.dropped")
    expect(dropped).to_contain_text("Wallace Bain")
    page.locator(f"#{event.get_attribute('id')}").screenshot(
        path=str(SCREENSHOTS / "intake-links-event-card.png")
    )
    page.click("#accept-all")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#doc-status")).to_contain_text("Examiné")
    shoot("intake-links-reviewed")

    # The French embassy's page: an agreement, and an activity corrected in review.
    paste(page, live_server.url, FRENCH_PAGE, "Coopération militaire française au Mali")
    expect(page.locator("#proposals")).to_contain_text("garde nationale", timeout=READING)
    activity = card(page, "activity", "garde nationale")
    correct(
        page,
        activity,
        {
            "title": "Équipement des unités de la garde nationale",
            "donor": "Mission de coopération de défense",
            "beneficiary": "garde nationale",
            "place": "Mali",
        },
    )
    page.click("#accept-all")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#doc-status")).to_contain_text("Examiné")

    # The activity: its type, donor, beneficiary, place and agreement, each cited.
    expect_on_record(
        page,
        f"{live_server.url}/activities/",
        "Équipement des unités de la garde nationale",
        "Équipement",
        "Mission de coopération de défense",
        "Bailleurs (financement)",
        "garde nationale",
        "Bénéficiaires",
        "Mali",
        "Fondée sur une relation étroite",  # its agreement
    )
    citations = page.locator("#citations")
    for field in ("organisations participantes", "lieux", "convention"):
        expect(citations).to_contain_text(re.compile(field, re.IGNORECASE))
    shoot("intake-links-activity")

    # The person: the position in the right organisation, cited.
    expect_on_record(
        page,
        f"{live_server.url}/persons/",
        "Harouna Haïdara",
        "colonel-major",
        "chef de cabinet",
        "ministère de la Défense et des anciens combattants",
    )
    expect(page.locator("#citations")).to_contain_text("Harouna Haïdara")
    shoot("intake-links-person")

    # The event: its participants (not the rejected one), its organiser, each cited.
    expect_on_record(
        page,
        f"{live_server.url}/events/",
        "Formation au droit des conflits armés",
        "Defence Institute of International Legal",
    )
    participants = page.locator("#participants")
    expect(participants).to_contain_text("Harouna Haïdara")
    expect(participants).to_contain_text("Boubacar Maïga")
    expect(participants).not_to_contain_text("Wallace Bain")
    expect(page.locator("#citations")).to_contain_text("L’événement a été suivi")  # noqa: RUF001
    shoot("intake-links-event")

    # Accepting again creates nothing again.
    from liaison.activities.models import ActivityParticipation
    from liaison.events.models import Participant

    before = (Participant.objects.count(), ActivityParticipation.objects.count())
    page.goto(diils_url)
    expect(page.locator("#accept-all")).to_have_count(0)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/intake/{diils_url.rstrip('/').rsplit('/', 1)[-1]}/bulk/",
        form={"action": "accept_all"},
        headers={"X-CSRFToken": csrf, "Referer": diils_url},
    )
    assert response.status < 500
    assert (Participant.objects.count(), ActivityParticipation.objects.count()) == before
