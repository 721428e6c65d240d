"""Incidents, the chain of command on a date, and "where are they now" (issue 18)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from liaison.accountability.models import Implication, Incident
from liaison.accountability.queries import Filters, chain_of_command, where_are_they_now
from liaison.activities.choices import ParticipationRole
from liaison.core.choices import Release, Role
from liaison.core.search import search
from liaison.core.tests.pages import client_for, member, outsider, token_client
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def trained_unit_with_incident(status: str = "established") -> dict[str, Any]:
    """A unit whose officer was trained in 2018, who commanded the unit from 2019, and
    an incident implicating the unit in 2020 (and one before the training)."""
    unit = factories.organization(name_fr="33e régiment de commandos parachutistes")
    officer = factories.person(full_name="Assimi Exemple")
    session = factories.session(name="Stage 2018", start_date=D(2018, 3, 1), end_date=D(2018, 4, 1))
    factories.enrollment(session=session, person=officer, unit=unit)
    factories.position(
        person=officer, organization=unit, title_fr="Commandant", start_date=D(2019, 6, 1)
    )
    coup = factories.incident(
        title="Coup d'État d'août 2020",
        kind="coup",
        status=status,
        established_by="CEDEAO" if status == "established" else "",
        start_date=D(2020, 8, 18),
    )
    factories.implication(incident=coup, organization=unit, role="perpetrator")
    older = factories.incident(title="Avant le stage", period="2015")
    factories.implication(incident=older, organization=unit)
    return {"unit": unit, "officer": officer, "session": session, "coup": coup, "older": older}


# --- the record -------------------------------------------------------------------------


def test_established_needs_the_body_that_established_it() -> None:
    incident = factories.incident(save=False, status="established")
    with pytest.raises(ValidationError) as error, translation.override("en"):
        incident.full_clean()
    assert "Name the body" in str(error.value)
    incident.established_by = "Commission d'enquête"
    incident.full_clean()


def test_an_implication_names_someone() -> None:
    with pytest.raises(ValidationError):
        Implication(incident=factories.incident(), role="other").full_clean()


def test_incident_pages_and_history() -> None:
    client = client_for(member(Role.EDITOR))
    unit = factories.organization(name_fr="Bataillon X")
    response = client.post(
        reverse("accountability:incident_add"),
        {
            "title": "Exécutions sommaires",
            "kind": "unlawful_killing",
            "status": "alleged",
            "period": "2022-03",
            "owner": factories.owner_workspace().pk,
            "release": "private",
            "implications-TOTAL_FORMS": "1",
            "implications-INITIAL_FORMS": "0",
            "implications-0-organization": unit.pk,
            "implications-0-role": "perpetrator",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    incident = Incident.objects.get(title="Exécutions sommaires")
    assert [(i.organization, i.role) for i in incident.implications.all()] == [
        (unit, "perpetrator")
    ]
    page = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Bataillon X" in page.content.decode()
    assert "Perpetrator" in page.content.decode()
    assert incident.history.count() == 1
    listing = client.get(reverse("accountability:incident_list"), {"kind": "unlawful_killing"})
    assert [row.record.pk for row in listing.context["table"].rows] == [incident.pk]
    french = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Auteur" in french.content.decode()


def test_a_private_incident_stays_in_its_workspace() -> None:
    setup = trained_unit_with_incident()
    coup = setup["coup"]
    stranger = outsider()
    web = client_for(stranger)
    assert web.get(coup.get_absolute_url()).status_code == 404
    assert "août 2020" not in web.get(reverse("accountability:incident_list")).content.decode()
    assert [g for g in search(stranger, "coup août") if g.model is Incident] == []
    api = token_client(stranger)
    assert api.get(f"/api/incidents/{coup.pk}/").status_code == 404
    assert api.get("/api/incidents/").json()["results"] == []
    assert api.get("/api/implications/").json()["results"] == []
    # The unit's page, were it open, would not name the incident either.
    setup["unit"].release = Release.OPEN
    setup["unit"].save()
    assert "août 2020" not in web.get(setup["unit"].get_absolute_url()).content.decode()
    # Its own workspace finds it by search.
    mine = member(Role.VIEWER)
    found = [g.results for g in search(mine, "coup aout") if g.model is Incident]
    assert found == [[coup]]


# --- command over time ------------------------------------------------------------------


def test_chain_of_command_on_a_date() -> None:
    army = factories.organization(name_fr="Armée de terre")
    region = factories.organization(name_fr="Région militaire", parent=army)
    unit = factories.organization(name_fr="Compagnie", parent=region)
    old = factories.position(
        organization=unit,
        title_fr="Commandant",
        start_date=D(2015, 1, 1),
        end_date=D(2018, 12, 31),
        is_current=False,
    )
    new = factories.position(organization=unit, title_fr="Commandant", start_date=D(2019, 1, 1))
    chief = factories.position(
        organization=army, title_fr="Chef d'état-major", start_date=D(2010, 1, 1)
    )
    factories.position(organization=region, title_fr="Adjudant", start_date=D(2010, 1, 1))
    reader = member(Role.VIEWER)
    chain = chain_of_command(unit, reader, D(2017, 5, 1))
    assert [(org, positions) for org, positions in chain] == [
        (unit, [old]), (region, []), (army, [chief]),
    ]  # fmt: skip
    assert chain_of_command(unit, reader, D(2020, 5, 1))[0][1] == [new]
    page = client_for(reader).get(unit.get_absolute_url(), {"on": "2017-05-01"})
    sections = {str(s["title"]): s["rows"] for s in page.context["related"]}
    (rows,) = [rows for title, rows in sections.items() if "2017" in title]
    assert rows == [old, chief]


# --- where are they now -----------------------------------------------------------------


def test_where_are_they_now_finds_the_incident_of_the_unit_they_commanded() -> None:
    setup = trained_unit_with_incident()
    reader = member(Role.VIEWER)
    subjects = where_are_they_now(reader, factories.owner_workspace(), Filters())
    by_record = {(type(s.record).__name__, s.record.pk): s for s in subjects}
    officer = by_record[("Person", setup["officer"].pk)]
    assert [p.title for p in officer.postings] == ["Commandant"]
    assert [(h.incident, h.how) for h in officer.hits] == [(setup["coup"], "commanded")]
    unit = by_record[("Organization", setup["unit"].pk)]
    # The incident before the training is not held against the training.
    assert [(h.incident, h.how) for h in unit.hits] == [(setup["coup"], "trained_unit")]
    assert unit.flagged
    assert officer.flagged
    # Filters: another kind of incident, another country, a later period.
    assert where_are_they_now(reader, factories.owner_workspace(), Filters(kind="torture")) == []
    later = Filters(start=D(2019, 1, 1))
    assert where_are_they_now(reader, factories.owner_workspace(), later) == []


def test_an_incident_outside_the_posting_is_not_theirs() -> None:
    setup = trained_unit_with_incident()
    position = setup["officer"].positions.get()
    position.start_date = D(2021, 1, 1)
    position.save()
    subjects = where_are_they_now(member(Role.VIEWER), factories.owner_workspace(), Filters())
    (officer,) = [s for s in subjects if s.person is not None]
    assert officer.hits == []


def test_a_beneficiary_unit_of_an_activity_is_a_trained_unit() -> None:
    unit = factories.organization(name_fr="Bataillon bénéficiaire")
    activity = factories.activity(title="Formation au DIH", planned_start=D(2019, 1, 1))
    factories.activity_participation(
        activity=activity, organization=unit, role=ParticipationRole.BENEFICIARY
    )
    incident = factories.incident(title="Torture à Gao", kind="torture", period="2021")
    factories.implication(incident=incident, organization=unit)
    subjects = where_are_they_now(member(Role.VIEWER), factories.owner_workspace(), Filters())
    assert [(s.record, [h.incident for h in s.hits]) for s in subjects] == [(unit, [incident])]


def test_the_page_shows_the_flag_and_costs_the_same_queries_whatever_the_rows() -> None:
    trained_unit_with_incident()
    client = client_for(member(Role.VIEWER))
    url = reverse("accountability:where_now")
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Coup d&#x27;État d&#x27;août 2020" in body
    assert "established incident" in body
    assert response.context["flagged"] == 2

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    before = count()
    for _n in range(20):
        setup = trained_unit_with_incident(status="alleged")
        factories.citation(record=setup["coup"])
    assert count() == before


def test_the_api_and_the_command_answer_the_same_rows() -> None:
    setup = trained_unit_with_incident()
    factories.citation(record=setup["coup"])
    reader = member(Role.MANAGER)
    answer = token_client(reader).get("/api/accountability/", {"workspace": "factory"})
    assert answer.status_code == 200, answer.content
    rows = answer.json()["results"]
    assert {(r["subject"], r["incident"], r["how"]) for r in rows} >= {
        ("Assimi Exemple", "Coup d'État d'août 2020", "commanded"),
    }
    assert all(r["sources"] for r in rows if r["incident"])
    bad = token_client(reader).get("/api/accountability/", {"workspace": "factory", "kind": "x"})
    assert bad.status_code == 400
    # Another workspace's member gets nothing of it.
    stranger = outsider()
    theirs = stranger.memberships.get().workspace.slug
    assert (
        token_client(stranger).get("/api/accountability/", {"workspace": theirs}).json()["results"]
        == []
    )
    assert (
        token_client(stranger).get("/api/accountability/", {"workspace": "factory"}).status_code
        == 400
    )

    out = io.StringIO()
    call_command("accountability", "--workspace", "factory", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == rows
    out = io.StringIO()
    call_command("accountability", "--workspace", "factory", "--format", "csv", stdout=out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(table) == len(rows)
    assert table[0]["subject"] == rows[0]["subject"]
    out = io.StringIO()
    call_command("accountability", "--workspace", "factory", "--country", "SN", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_the_vetting_officer_sees_the_incident_of_the_unit() -> None:
    setup = trained_unit_with_incident()
    officer = member(Role.VETTING_OFFICER)
    request = factories.vetting_request(subject_organization=setup["unit"], subject_person=None)
    page = client_for(officer).get(request.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Coup d&#x27;État d&#x27;août 2020" in body
    assert "established incident" in body
    # For a person: the incidents of the units they served in at the time.
    for_person = factories.vetting_request(subject_person=setup["officer"])
    body = client_for(officer).get(for_person.get_absolute_url()).content.decode()
    assert "Coup d&#x27;État d&#x27;août 2020" in body
    assert "Avant le stage" not in body
