"""The pages of events (with their participants) and of the context timeline."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from liaison.core.choices import Release, Role
from liaison.core.tests.pages import (
    assert_constant_queries,
    client_for,
    member,
    outsider,
    page_data,
)
from liaison.events.dates import period_display, when
from liaison.events.models import ContextEvent, Event, Participant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Any:
    return client_for(member(Role.EDITOR))


def shown(response: Any) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def pks(*records: Any) -> set[int]:
    return {r.pk for r in records}


# --- dates as known -----------------------------------------------------------------


def test_dates_in_the_readers_language() -> None:
    event = factories.event(save=False, period="2024-03")
    with translation.override("fr"):
        assert period_display("2024-03") == "mars 2024"
        assert when(event) == "mars 2024"
    with translation.override("en"):
        assert period_display("2024-03") == "March 2024"
    exact = factories.event(
        save=False, start_date=datetime.date(2024, 3, 1), end_date=datetime.date(2024, 3, 5)
    )
    with translation.override("fr"):
        assert when(exact) == "01/03/2024 \N{EN DASH} 05/03/2024"
    assert period_display("2024") == "2024"


# --- lists and filters ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["event_list", "contextevent_list"])
def test_lists_answer(client: Any, name: str) -> None:
    factories.event()
    factories.context_event()
    response = client.get(reverse(f"events:{name}"))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 1


def test_event_filters(client: Any) -> None:
    organiser = factories.organization()
    seminar = factories.event(
        kind=Event.Kind.SEMINAR,
        topic="Droit des conflits armés",
        start_date=datetime.date(2025, 3, 10),
        end_date=datetime.date(2025, 3, 12),
        country=factories.country("ML"),
        subdivision=factories.subdivision("ML-BKO"),
    )
    seminar.organisers.add(organiser)
    visit = factories.event(
        kind=Event.Kind.VISIT, period="2024-11", country=factories.country("SN")
    )
    ceremony = factories.event(kind=Event.Kind.CEREMONY, period="2025")
    person = factories.person(full_name="Harouna Haïdara")
    factories.participant(event=seminar, person=person, role="official_guest")
    factories.participant(event=visit)
    url = reverse("events:event_list")
    assert shown(client.get(url, {"kind": "seminar"})) == pks(seminar)
    assert shown(client.get(url, {"topic": "conflits"})) == pks(seminar)
    assert shown(client.get(url, {"country": factories.country("SN").pk})) == pks(visit)
    assert shown(client.get(url, {"region": factories.subdivision("ML-BKO").pk})) == pks(seminar)
    assert shown(client.get(url, {"organiser": organiser.pk})) == pks(seminar)
    assert shown(client.get(url, {"person": person.pk})) == pks(seminar)
    assert shown(client.get(url, {"participant": "haidara"})) == pks(seminar)
    # Dates: exact ranges overlap; a month or a year meets the range if one of its days does.
    dates = {"dates_after": "2025-03-11", "dates_before": "2025-03-11"}
    assert shown(client.get(url, dates)) == pks(seminar, ceremony)
    dates = {"dates_after": "2024-11-30", "dates_before": "2024-12-31"}
    assert shown(client.get(url, dates)) == pks(visit)
    assert shown(client.get(url, {"dates_before": "2024-10-31"})) == set()
    assert shown(client.get(url, {"dates_after": "2025-03-13"})) == pks(ceremony)


def test_context_filters(client: Any) -> None:
    jnim = factories.organization(name_fr="JNIM")
    coup = factories.context_event(
        kind=ContextEvent.Kind.COUP,
        start_date=datetime.date(2020, 8, 18),
        country=factories.country("ML"),
    )
    attack = factories.context_event(kind=ContextEvent.Kind.ATTACK, period="2024-09")
    attack.actors.add(jnim)
    url = reverse("events:contextevent_list")
    assert shown(client.get(url, {"kind": "coup"})) == pks(coup)
    assert shown(client.get(url, {"actor": jnim.pk})) == pks(attack)
    assert shown(client.get(url, {"country": factories.country("ML").pk})) == pks(coup)
    assert shown(client.get(url, {"dates_after": "2024-01-01"})) == pks(attack)
    assert shown(client.get(url, {"q": attack.title_fr})) == pks(attack)


# --- detail pages -----------------------------------------------------------------------


def test_event_page_shows_dates_place_and_participants_by_role(client: Any) -> None:
    venue = factories.organization(name_fr="École de maintien de la paix")
    activity = factories.activity(title="Formation DIH")
    event = factories.event(
        title="Séminaire DIH",
        topic="droit des conflits armés",
        period="2025-03",
        date_as_written="du 12 au 10 mars 2025",
        date_flags=["end_before_start"],
        country=factories.country("ML"),
        locality="Bamako",
        venue=venue,
        activity=activity,
    )
    event.organisers.add(factories.organization(name_fr="AFRICOM"))
    factories.participant(
        event=event, person=factories.person(full_name="Harouna Haïdara"), role="official_guest"
    )
    factories.participant(
        event=event, person=factories.person(full_name="John Smith"), role="instructor"
    )
    factories.participant(event=event, role="attendee")
    with translation.override("en"):
        response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    text = response.text
    assert response.status_code == 200
    for expected in ("Séminaire DIH", "droit des conflits armés", "Bamako", "AFRICOM",
                     "École de maintien de la paix", "Formation DIH", "du 12 au 10 mars 2025",
                     "Harouna Haïdara", "John Smith"):  # fmt: skip
        assert expected in text, expected
    assert 'role="alert"' in text
    groups = [g["role"] for g in response.context["participants_by_role"]]
    assert groups == ["instructor", "attendee", "official_guest"]
    assert response.context["dates"]["warnings"]


def test_context_page_shows_dates_and_actors_and_events_around(client: Any) -> None:
    coup = factories.context_event(title_fr="Coup d'État", start_date=datetime.date(2020, 8, 18))
    coup.actors.add(factories.organization(name_fr="CNSP"))
    nearby = factories.event(title="Visite", start_date=datetime.date(2020, 9, 1))
    factories.event(title="Bien plus tard", start_date=datetime.date(2023, 1, 1))
    response = client.get(coup.get_absolute_url())
    assert "CNSP" in response.text
    assert list(response.context["related"][0]["rows"]) == [nearby]


# --- forms --------------------------------------------------------------------------------


def test_create_event_with_participants(client: Any) -> None:
    person = factories.person()
    organisation = factories.organization()
    response = client.post(
        reverse("events:event_add"),
        {
            "title": "Séminaire",
            "kind": "seminar",
            "period": "2025-03",
            "date_flags": ["approximate"],
            "organisers": [organisation.pk],
            "owner": factories.owner_workspace().pk,
            "release": "private",
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "0",
            "participants-0-person": person.pk,
            "participants-0-role": "instructor",
            "participants-1-organization": organisation.pk,
            "participants-1-role": "organiser",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="Séminaire")
    assert event.date_flags == ["approximate"]
    assert list(event.organisers.all()) == [organisation]
    assert {(p.person, p.organization, p.role) for p in event.participants.all()} == {
        (person, None, "instructor"),
        (None, organisation, "organiser"),
    }


def test_a_participant_is_someone(client: Any) -> None:
    event = factories.event()
    url = reverse("events:event_edit", args=[event.pk])
    data = page_data(client.get(url))
    data["participants-0-role"] = "speaker"
    data["participants-0-capacity"] = "Directeur"
    response = client.post(url, data)
    assert response.status_code == 400
    assert not event.participants.exists()


def test_edit_event_and_participants(client: Any) -> None:
    event = factories.event(title="Avant")
    kept = factories.participant(event=event)
    removed = factories.participant(event=event)
    url = reverse("events:event_edit", args=[event.pk])
    response = client.get(url)
    data = page_data(response)
    index = {f.instance.pk: i for i, f in enumerate(response.context["formsets"][0].forms)}
    data["title"] = "Après"
    data[f"participants-{index[kept.pk]}-role"] = "speaker"
    data[f"participants-{index[removed.pk]}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    kept.refresh_from_db()
    assert event.title == "Après"
    assert kept.role == "speaker"
    assert not Participant.objects.filter(pk=removed.pk).exists()


def test_edit_context_event(client: Any) -> None:
    coup = factories.context_event()
    actor = factories.organization()
    url = reverse("events:contextevent_edit", args=[coup.pk])
    data = page_data(client.get(url))
    data.update(title_en="Coup", start_date="2020-08-18", actors=[str(actor.pk)])
    assert client.post(url, data).status_code == 302
    coup.refresh_from_db()
    assert coup.title_en == "Coup"
    assert list(coup.actors.all()) == [actor]


@pytest.mark.parametrize("kind", ["event", "context_event"])
def test_stale_edit_is_refused_and_changes_nothing(client: Any, kind: str) -> None:
    record = getattr(factories, kind)(description="Avant")
    participant = factories.participant(event=record) if kind == "event" else None
    url = reverse(f"events:{record._meta.model_name}_edit", args=[record.pk])
    data = page_data(client.get(url))
    record.description = "Changé par un autre"
    record.save()
    data["description"] = "Le mien"
    if participant is not None:
        data["participants-0-capacity"] = "Le mien"
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    record.refresh_from_db()
    assert record.description == "Changé par un autre"
    if participant is not None:
        participant.refresh_from_db()
        assert participant.capacity == ""


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["event", "context_event"])
def test_outsider_gets_404_on_private_records(kind: str) -> None:
    record = getattr(factories, kind)()
    name = record._meta.model_name
    client = client_for(outsider())
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(reverse(f"events:{name}_edit", args=[record.pk])).status_code == 404
    assert len(client.get(reverse(f"events:{name}_list")).context["table"].rows) == 0
    record.release = Release.OPEN
    record.save()
    assert client.get(record.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("kind", ["event", "context_event"])
def test_viewer_gets_403_on_edit_pages(kind: str) -> None:
    record = getattr(factories, kind)()
    name = record._meta.model_name
    client = client_for(member(Role.VIEWER))
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get(reverse(f"events:{name}_edit", args=[record.pk])).status_code == 403
    assert client.get(reverse(f"events:{name}_add")).status_code == 403


# --- query counts -----------------------------------------------------------------------


def test_list_queries_do_not_grow(client: Any) -> None:
    def add_events(n: int) -> None:
        for _ in range(n):
            event = factories.event(country=factories.country("ML"), activity=factories.activity())
            factories.participant(event=event)

    def add_context(n: int) -> None:
        for _ in range(n):
            factories.context_event(country=factories.country("ML")).actors.add(
                factories.organization()
            )

    assert_constant_queries(client, reverse("events:event_list"), add_events)
    assert_constant_queries(client, reverse("events:contextevent_list"), add_context)


def test_detail_queries_do_not_grow(client: Any) -> None:
    event = factories.event(start_date=datetime.date(2024, 3, 1))
    roles = [r for r, _ in Participant.Role.choices]

    def add_participants(n: int) -> None:
        for i in range(n):
            factories.participant(
                event=event, organization=factories.organization(), role=roles[i % len(roles)]
            )
            event.organisers.add(factories.organization())
            factories.context_event(start_date=datetime.date(2024, 3, 2))

    assert_constant_queries(client, event.get_absolute_url(), add_participants)
    coup = factories.context_event(start_date=datetime.date(2022, 1, 1))

    def add_actors(n: int) -> None:
        for _ in range(n):
            coup.actors.add(factories.organization())
            factories.event(start_date=datetime.date(2022, 1, 2))

    assert_constant_queries(client, coup.get_absolute_url(), add_actors)
