"""Proposals carry their links, and accepting them makes the records linked (issue 16):
derived from what the pipeline read, edited in review, made with a citation each, never
to a rejected proposal, never twice."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from liaison.activities.models import Activity, ActivityParticipation, Agreement
from liaison.core.models import Citation, Workspace
from liaison.core.tests.pages import client_for, member
from liaison.events.models import Event
from liaison.geo.models import Country
from liaison.intake import mentions, relations, services
from liaison.intake.extraction import (
    ActivityMention,
    Extraction,
    OrganizationMention,
    PersonMention,
    PlaceMention,
)
from liaison.intake.models import IntakeDocument
from liaison.intake.tests.conftest import DIILS
from liaison.partners.models import Organization, Person, Position
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pipeline")]

# A short report of the kind the intake reads (written for this test).
CONVENTION = (
    "Le 5 septembre 2019, la France et les forces armées tchadiennes ont signé une "
    "convention de partenariat pour la formation des cadres à N'Djamena, au Tchad.\n\n"
    "Le colonel-major Idriss Mahamat, chef d'état-major des forces armées tchadiennes, "
    "et Philippe Lacoste, Ambassadeur de France, étaient présents."
)


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return (start, start + len(words))


def convention_extract(content: bytes | str, *, filename: str, **kwargs: Any) -> Extraction:
    text = content.decode() if isinstance(content, bytes) else content
    found = Extraction(source=filename, language="fr", text=text)
    found.organizations = [
        OrganizationMention(name="forces armées tchadiennes",
                            span=_span(text, "forces armées tchadiennes"), confidence=0.8),
        OrganizationMention(name="France", span=_span(text, "France"), confidence=0.8),
    ]  # fmt: skip
    found.persons = [
        PersonMention(name="Idriss Mahamat", title_or_rank="colonel-major",
                      position="chef d'état-major", organization="forces armées tchadiennes",
                      span=_span(text, "Idriss Mahamat"), confidence=0.9),
        PersonMention(name="Philippe Lacoste", title_or_rank="Ambassadeur de France",
                      organization="France", span=_span(text, "Philippe Lacoste"),
                      confidence=0.9),
    ]  # fmt: skip
    found.places = [
        PlaceMention(name="Tchad", span=_span(text, "Tchad"), country="td"),
    ]  # fmt: skip
    sentence = (0, text.index("\n"))
    found.activities = [
        ActivityMention(type="agreement", summary="signé une convention de partenariat",
                        donor=["France"], beneficiary=["forces armées tchadiennes"],
                        start="2019-09-05", end="2019-09-05", span=sentence, confidence=0.8),
        ActivityMention(type="training", summary="la formation des cadres",
                        donor=["France"], beneficiary=["forces armées tchadiennes"],
                        start="2019-09-05", end="2021-12-31", place="Tchad", span=sentence,
                        confidence=0.8),
    ]  # fmt: skip
    return found


@pytest.fixture
def mission() -> Workspace:
    return f.workspace(name="Bureau de coopération", slug="osc")


@pytest.fixture
def editor(mission: Workspace) -> Any:
    return member("editor", mission)


def read(user: Any, workspace: Workspace, name: str, content: bytes) -> IntakeDocument:
    queued = services.queue_documents(
        [services.Upload(name, content)], user=user, workspace=workspace
    )
    document = queued.documents[0]
    document.refresh_from_db()
    return document


@pytest.fixture
def convention(monkeypatch: pytest.MonkeyPatch, editor: Any, mission: Workspace) -> Any:
    monkeypatch.setattr("liaison.intake.pipeline.extract", convention_extract)
    chad = Country.objects.get(alpha2="TD")
    document = read(editor, mission, "convention.txt", CONVENTION.encode())
    place = document.proposals.get(kind="place")
    place.candidates = [{"model": "geo.country", "pk": chad.pk, "name": "Tchad", "score": 1}]
    place.save()
    return document


def cited(record: Any, field: str) -> list[str]:
    rows = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        field=field,
    )
    return [c.quote for c in rows]


# --- what the words say ------------------------------------------------------------------


def test_a_rank_is_told_from_a_function() -> None:
    assert relations.is_rank("colonel-major")
    assert relations.is_rank("Lieutenant Colonel")
    assert not relations.is_rank("Ambassadeur de France")
    assert not relations.is_rank("Chargé d’Affaires")  # noqa: RUF001
    assert not relations.is_rank("")


@pytest.mark.parametrize(
    ("name", "kind", "country"),
    [
        ("forces armées maliennes", "armed_force", "ml"),
        ("ambassade américaine", "embassy", "us"),
        ("ministère de la Défense et des anciens combattants", "ministry", ""),
        ("Defence Institute of International Legal Studies", "school", ""),
        ("13th Combined Arms Tactical Group", "unit", ""),
        ("Mission de maintien de la paix des Nations Unies Minusma", "international", ""),
        ("Jama’at Nusrat al-Islam Wal-Muslimin (JNIM)", "armed_group", ""),  # noqa: RUF001
        ("Bamako Football Club", "", ""),
    ],
)
def test_an_organisation_s_kind_and_country_from_its_name(
    name: str, kind: str, country: str
) -> None:
    assert relations.organization_kind(name) == kind
    assert relations.organization_country(name) == country


def test_a_unit_s_parent_is_the_organisation_named_after_it() -> None:
    text = "the 13th Combined Arms Tactical Group of the Malian Armed Forces trained."
    unit = SimpleNamespace(pk=1, kind="organization", label="13th Combined Arms Tactical Group",
                           fields={}, start=4, end=37, links=[])  # fmt: skip
    army = SimpleNamespace(pk=2, kind="organization", label="Malian Armed Forces",
                           fields={}, start=45, end=64, links=[])  # fmt: skip
    relations.derive([unit, army], text)
    assert [(x["kind"], x["proposal"]) for x in unit.links] == [("parent_org", 2)]
    assert army.links == []
    assert (unit.fields["kind"], army.fields["kind"]) == ("unit", "armed_force")


# --- derived, then made ------------------------------------------------------------------


def test_proposals_carry_their_links(convention: IntakeDocument) -> None:
    by_label = {p.label: p for p in convention.proposals.all()}
    agreement = convention.proposals.get(kind="agreement")
    activity = convention.proposals.get(kind="activity")
    france, fat = by_label["France"], by_label["forces armées tchadiennes"]
    assert {(x["kind"], x["role"], x["proposal"]) for x in activity.links} == {
        ("participation", "funding", france.pk),
        ("participation", "beneficiary", fat.pk),
        ("place", "", by_label["Tchad"].pk),
        ("agreement", "", agreement.pk),
    }
    assert {(x["kind"], x["proposal"]) for x in agreement.links} == {
        ("party", france.pk),
        ("party", fat.pk),
    }
    # "Ambassadeur de France" is a function (a position's title), "colonel-major" a rank.
    lacoste, mahamat = by_label["Philippe Lacoste"], by_label["Idriss Mahamat"]
    assert (lacoste.fields["rank"], lacoste.fields["position"]) == ("", "Ambassadeur de France")
    assert lacoste.links[0]["role"] == "Ambassadeur de France"
    assert mahamat.fields["rank"] == "colonel-major"
    assert (mahamat.links[0]["role"], mahamat.links[0]["proposal"]) == ("chef d'état-major", fat.pk)
    assert (fat.fields["kind"], fat.fields["country"]) == ("armed_force", "td")


def test_accepting_the_document_makes_a_connected_graph(
    convention: IntakeDocument, editor: Any
) -> None:
    proposals = list(convention.proposals.all())
    # Decided in the worst order (the activity first): its links wait for their targets.
    proposals.sort(key=lambda p: p.kind != "activity")
    for proposal in proposals:
        services.accept(proposal, user=editor)
    activity = Activity.objects.get()
    assert activity.activity_type == "training"
    roles = {(p.organization.name_fr, p.role) for p in activity.participations.all()}
    assert roles == {("France", "funding"), ("forces armées tchadiennes", "beneficiary")}
    assert [str(p.country.alpha2) for p in activity.places.all()] == ["TD"]
    agreement = Agreement.objects.get()
    assert activity.agreement == agreement
    assert str(agreement.signed_on) == "2019-09-05"
    assert {o.name_fr for o in agreement.parties.all()} == {"France", "forces armées tchadiennes"}
    fat = Organization.objects.get(name_fr="forces armées tchadiennes")
    assert (fat.kind, fat.country.alpha2 if fat.country else "") == ("armed_force", "TD")
    mahamat = Person.objects.get(full_name="Idriss Mahamat")
    assert mahamat.rank == "colonel-major"
    assert Position.objects.get(person=mahamat).organization == fat
    lacoste = Person.objects.get(full_name="Philippe Lacoste")
    assert lacoste.rank == ""
    position = Position.objects.get(person=lacoste)
    assert (position.title_fr, position.organization.name_fr) == ("Ambassadeur de France", "France")
    # Each link with its citation: the sentence that says it.
    for field in ("organizations", "places", "agreement"):
        assert cited(activity, field)
        assert "convention de partenariat" in cited(activity, field)[0]
    assert cited(agreement, "parties")
    assert cited(position, "")[0].startswith("Le colonel-major Idriss Mahamat")
    assert all(x["state"] == "made" for p in convention.proposals.all() for x in p.links)


def test_accepting_twice_creates_nothing_twice(convention: IntakeDocument, editor: Any) -> None:
    services.bulk(list(convention.proposals.all()), "accept", user=editor)
    counts = (Activity.objects.count(), ActivityParticipation.objects.count(),
              Position.objects.count(), Citation.objects.count())  # fmt: skip
    outcome = services.bulk(list(convention.proposals.all()), "accept", user=editor)
    assert outcome.done == []
    activity = convention.proposals.get(kind="activity")
    with pytest.raises(services.ReviewError, match="already decided"):
        services.accept(activity, user=editor)
    services.make_links(activity, editor)  # made links are not made again
    assert counts == (Activity.objects.count(), ActivityParticipation.objects.count(),
                      Position.objects.count(), Citation.objects.count())  # fmt: skip


def test_the_event_lists_who_attended_and_not_a_rejected_person(
    editor: Any, mission: Workspace
) -> None:
    document = read(editor, mission, "article.txt", DIILS.read_bytes())
    event = document.proposals.get(kind="event")
    maiga = document.proposals.get(label="Boubacar Maïga")
    named = {x["name"] for x in event.links if x["kind"] == "participant"}
    assert {"Harouna Haïdara", "Boubacar Maïga"} <= named  # "L'événement a été suivi par"
    services.reject(maiga, user=editor)
    # The page says what becomes of the link.
    page = client_for(editor).get(f"/intake/{document.pk}/").content.decode()
    assert re.search(r'class="link-note dropped">[^<]*Boubacar Maïga', page)
    services.bulk(list(document.proposals.all()), "accept", user=editor)
    made = Event.objects.get()
    people = {p.person.full_name for p in made.participants.all() if p.person}
    assert people == {"Harouna Haïdara"}
    assert {o.acronym_fr for o in made.organisers.all()} == {"DIILS"}
    assert cited(made, "participants")
    haidara = made.participants.get(person__full_name="Harouna Haïdara")
    assert haidara.capacity == "chef de cabinet"


def test_a_corrected_donor_is_linked(editor: Any, mission: Workspace) -> None:
    document = read(editor, mission, "article.txt", DIILS.read_bytes())
    diils = document.proposals.get(kind="organization")
    services.accept(diils, user=editor)
    event = document.proposals.get(kind="event")
    services.accept(event, user=editor, fields={"donor": "", "beneficiary": "DIILS"})
    made = Event.objects.get()
    assert list(made.organisers.all()) == []
    assert [p.organization.acronym_fr for p in made.participants.all() if p.organization] == [
        "DIILS"
    ]


def test_a_link_edited_in_review(editor: Any, mission: Workspace) -> None:
    known = f.organization(owner=mission, name_fr="Direction de la justice militaire")
    document = read(editor, mission, "article.txt", DIILS.read_bytes())
    event = document.proposals.get(kind="event")
    links = event.links
    index = next(i for i, x in enumerate(links) if x["name"] == "Direction de la justice militaire")
    client = client_for(editor)
    url = f"/intake/proposals/{event.pk}/links/{index}/"
    page = client.get(f"/intake/{document.pk}/").content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"target": f"r:partners.organization:{known.pk}",
                                 "role": "official_guest"}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    # The organiser link dropped, the other kept.
    organiser = next(i for i, x in enumerate(links) if x["kind"] == "organiser")
    client.post(f"/intake/proposals/{event.pk}/links/{organiser}/", {"drop": "1"})
    event.refresh_from_db()
    assert event.links[index]["record"] == f"partners.organization:{known.pk}"
    assert event.links[index]["role"] == "official_guest"
    assert event.links[organiser]["state"] == "dropped"
    services.accept(event, user=editor)
    made = Event.objects.get()
    assert made.participants.get(organization=known).role == "official_guest"
    assert list(made.organisers.all()) == []
    # A record the reviewer cannot see is refused.
    hidden = f.organization(owner=f.workspace())
    other = read(editor, mission, "article2.txt", DIILS.read_bytes())
    event2 = other.proposals.get(kind="event")
    response = client.post(f"/intake/proposals/{event2.pk}/links/{index}/",
                           {"target": f"r:partners.organization:{hidden.pk}"})  # fmt: skip
    event2.refresh_from_db()
    assert event2.links[index]["record"] == ""


# --- mentions ------------------------------------------------------------------------------


def test_each_mention_is_marked_on_its_own_span(editor: Any, mission: Workspace) -> None:
    document = read(editor, mission, "article.txt", DIILS.read_bytes())
    page = client_for(editor).get(f"/intake/{document.pk}/").content.decode()
    numbers = {p.pk: n for n, p in enumerate(document.proposals.all(), start=1)}
    pieces = [piece for line in mentions.marked(document.text, list(document.proposals.all()),
                                                 numbers) for piece in line]  # fmt: skip
    marks = [p for p in pieces if p.kind]
    # A name, not a sentence: no mark holds more than one proposal's name.
    assert all(len(p.numbers) == 1 and len(p.text) < 60 for p in marks)
    # The surname alone ("Le colonel Maïga aurait souligné") is Maïga's too.
    maiga = numbers[document.proposals.get(label="Boubacar Maïga").pk]
    assert [p.text for p in marks if p.numbers == [maiga]] == ["Boubacar Maïga", "Maïga"]
    # The event's passage is underlined around the names inside it.
    event = numbers[document.proposals.get(kind="event").pk]
    assert any(event in p.passages for p in pieces)
    assert 'class="m-person proposed"' in page
    assert f'data-passage="{event}"' in page


# --- not in the request --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_submit_does_not_wait_for_the_reading(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    import threading
    import time

    from django.db import OperationalError

    from liaison.intake.tests.conftest import fake_extract

    settings.LIAISON_TASKS_DETACH = True
    mission = f.workspace(name="Mission", slug="mission")
    editor = member("editor", mission)
    go = threading.Event()

    def slow_extract(*args: Any, **kwargs: Any) -> Extraction:
        assert go.wait(10), "the test never let the reading go on"
        return fake_extract(*args, **kwargs)

    monkeypatch.setattr("liaison.intake.pipeline.extract", slow_extract)
    response = client_for(editor).post(
        "/intake/add/",
        {"text": DIILS.read_text(encoding="utf-8"), "owner": mission.pk, "release": "private",
         "kind": "press_article"},
    )  # fmt: skip
    document = IntakeDocument.objects.get()
    # Answered while the reading waits: the document's page, showing its progress.
    assert response.status_code == 302
    assert response["Location"] == f"/intake/{document.pk}/"
    assert document.status in ("queued", "processing")
    client = client_for(editor)
    page = client.get(response["Location"]).content.decode()
    assert 'id="progress"' in page
    assert f'hx-get="/intake/{document.pk}/progress/"' in page
    go.set()
    for _ in range(100):
        time.sleep(0.1)
        try:
            document.refresh_from_db()
        except OperationalError:  # SQLite's shared test database: the reading is writing
            continue
        if document.status == "ready":
            break
    assert document.status == "ready"
    assert document.proposals.exists()
    fragment = client.get(f"/intake/{document.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"  # read: the page reloads with its proposals
