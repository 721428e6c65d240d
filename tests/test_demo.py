"""The demo data (`liaison demo`): built from the two samples, cited, idempotent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models, transaction
from pytest_django import DjangoDbBlocker

from liaison.activities.models import Activity, ActivityParticipation, Request
from liaison.core.choices import Release, Role
from liaison.core.models import Citation, Membership, OwnedModel, Source, Workspace
from liaison.core.registry import child_models, record_models
from liaison.demo import data
from liaison.demo.loader import (
    DemoDataError,
    demo_id,
    load_demo,
    quote_span,
    read_document,
)
from liaison.demo.users import PASSWORD_ENV, ensure_demo_users
from liaison.events.models import ContextEvent, Event
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import School

Counts = dict[str, int]


def all_counts() -> Counts:
    """Rows of every model, history, audit and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@dataclass(frozen=True)
class Loaded:
    first: Counts
    second: Counts


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Loaded]:
    """The demo, loaded twice, once for the module; rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        first = all_counts()
        load_demo()
        second = all_counts()
        yield Loaded(first, second)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_loading_twice_gives_the_same_counts(demo: Loaded) -> None:
    assert demo.second == demo.first
    # ... and the first load did create records, with their history.
    assert demo.first["partners.Organization"] >= 20
    assert demo.first["partners.HistoricalOrganization"] == demo.first["partners.Organization"]


def test_the_command_prints_counts_and_credentials_and_changes_nothing(demo: Loaded) -> None:
    out = StringIO()
    call_command("demo", "--no-example", stdout=out)
    printed = out.getvalue()
    assert "partners.Organization" in printed
    assert "http://127.0.0.1:8000/" in printed
    assert "admin" in printed
    assert "liaison-demo" in printed
    assert "exemple-viewer" not in printed
    assert all_counts() == demo.first


def test_the_command_adds_the_example_workspace_once(demo: Loaded) -> None:
    first = StringIO()
    call_command("demo", stdout=first)
    assert "Exemple — données fictives / Example — fictitious data" in first.getvalue()
    assert "rows in" in first.getvalue() or "lignes en" in first.getvalue()
    assert "exemple-viewer" in first.getvalue()
    with_example = all_counts()
    example = Workspace.objects.get(slug="exemple")
    assert Activity.objects.filter(owner=example).count() >= 100
    # Private to its workspace: the sample documents' world is seen as it was.
    fr_viewer = get_user_model().objects.get(username="fr-viewer")
    assert not Activity.objects.visible_to(fr_viewer).filter(owner=example).exists()
    assert not Organization.objects.visible_to(fr_viewer).filter(owner=example).exists()
    roles = dict(Membership.objects.filter(workspace=example).values_list("user__username", "role"))
    assert roles["exemple-viewer"] == Role.VIEWER
    assert roles["admin"] == Role.ADMINISTRATOR
    second = StringIO()
    call_command("demo", stdout=second)
    # No second "created" line, whatever the console's language.
    assert "rows in" not in second.getvalue()
    assert "lignes en" not in second.getvalue()
    assert all_counts() == with_example


def _cited_rows(model: type[models.Model]) -> tuple[int, list[str]]:
    """(rows, descriptions of rows without a citation found at its offsets)."""
    content_type = ContentType.objects.get_for_model(model)
    uncited = []
    rows = 0
    for obj in model._default_manager.all():
        rows += 1
        citations = Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        if not any(c.source.text[c.start : c.end] == c.quote for c in citations):
            uncited.append(f"{model._meta.label} {obj.pk} {obj}")
    return rows, uncited


def test_every_record_has_a_citation_found_in_its_source(demo: Loaded) -> None:
    uncited: list[str] = []
    for model in record_models():
        _rows, missing = _cited_rows(model)
        uncited += missing
    assert uncited == []
    # Every record kind the demo fills is covered, sources included.
    for model in (Source, Organization, Person, Position, Activity, Event, ContextEvent):
        assert issubclass(model, OwnedModel)
        assert model._default_manager.exists()


def test_child_records_are_cited_too(demo: Loaded) -> None:
    uncited: list[str] = []
    for model in child_models():
        _rows, missing = _cited_rows(model)
        uncited += missing
    assert uncited == []
    assert ActivityParticipation.objects.exists()


def test_every_citation_points_at_its_quote(demo: Loaded) -> None:
    citations = list(Citation.objects.select_related("source"))
    assert citations
    for citation in citations:
        assert citation.start is not None
        assert citation.end is not None
        assert citation.source.text[citation.start : citation.end] == citation.quote


def test_field_citations_name_real_fields(demo: Loaded) -> None:
    for citation in Citation.objects.exclude(field="").select_related("content_type"):
        model = citation.content_type.model_class()
        assert model is not None
        model._meta.get_field(citation.field)


def test_the_february_2025_event_keeps_the_date_as_written(demo: Loaded) -> None:
    event = Event.objects.get(date_as_written="du 19 au 11 février 2025")
    assert event.kind == Event.Kind.TRAINING
    assert event.start_date is None
    assert event.end_date is None
    assert event.period == "2025-02"
    assert event.date_flags == ["end_before_start"]
    assert "droit des conflits armés" in event.topic
    assert "law of armed conflict" in event.topic
    assert event.venue is not None
    assert event.venue.external_id == demo_id("ml-justice-militaire")
    assert set(event.organisers.values_list("external_id", flat=True)) == {
        demo_id("ml-fama"),
        demo_id("us-diils"),
        demo_id("us-africom"),
    }
    guests = {p.person.full_name: p.role for p in event.participants.all() if p.person}
    assert guests == {
        "Harouna Haïdara": "official_guest",
        "Boubacar Maïga": "official_guest",
        "Wallace Bain": "official_guest",
    }
    event.full_clean()


def test_haidara_without_rank_in_the_name(demo: Loaded) -> None:
    person = Person.objects.get(full_name="Harouna Haïdara")
    assert person.rank == "colonel-major"
    assert person.nationality is not None
    assert person.nationality.alpha2 == "ML"
    position = person.positions.get()
    assert position.organization.name_fr == "Ministère de la Défense et des Anciens combattants"
    assert position.organization.country is not None
    assert position.organization.country.alpha2 == "ML"
    assert position.title_fr == "Chef de cabinet"
    for name in Person.objects.values_list("full_name", flat=True):
        assert not name.lower().startswith(("colonel", "général", "secrétaire", "président"))


def test_persons_and_positions(demo: Loaded) -> None:
    maiga = Person.objects.get(full_name="Boubacar Maïga")
    assert maiga.rank == "colonel"
    assert maiga.positions.get().title_en == "Director of Military Justice"
    titles = {
        (p.person.full_name, p.organization.external_id, p.title_en)
        for p in Position.objects.select_related("person", "organization")
    }
    assert ("Wallace Bain", demo_id("us-ambassade-bamako"), "Chargé d'Affaires") in titles
    assert ("Pete Hegseth", demo_id("us-dod"), "Secretary of Defense") in titles
    assert ("Marco Rubio", demo_id("us-dos"), "Secretary of State") in titles
    assert ("Assimi Goïta", demo_id("ml-gouvernement"), "Transitional President") in titles
    assert ("Donald Trump", demo_id("us-gouvernement"), "President of the United States") in titles
    assert Person.objects.filter(full_name="Pearl Matibe").exists()


EXPECTED_ORGANISATIONS = [
    "Mission de défense",
    "Mission de coopération de défense",
    "MCD",
    "Ministère de la Défense",
    "Ministère des Affaires étrangères et du Développement international",
    "MAEDI",
    "Direction de la Coopération de Sécurité et de Défense",
    "DCSD",
    "Forces armées maliennes",
    "Forces armées françaises",
    "ENVR",
    "EMP",
    "École de maintien de la paix de Bamako",
    "FAA",
    "Force africaine en attente",
    "ECOWAS",
    "CEDEAO",
    "ECOWAS Standby Force",
    "Garde nationale du Mali",
    "DIILS",
    "Defense Institute of International Legal Studies",
    "AFRICOM",
    "Direction de la justice militaire",
    "Ministère de la Défense et des Anciens combattants",
    "United States Department of Defense",
    "United States Department of State",
    "United States Embassy in Bamako",
    "MINUSMA",
    "JNIM",
    "EIGS",
    "IS-GS",
    "ISIS-Sahel",
    "IS-Sahel",
    "Al-Shabaab",
    "Russian paramilitary groups",
]


def _find_organisation(name: str) -> Organization:
    """The one organisation with this name or acronym (French or English) or alias."""
    matches = [
        org
        for org in Organization.objects.all()
        if name in {org.name_fr, org.name_en, org.acronym_fr, org.acronym_en, *org.aliases}
    ]
    assert len(matches) == 1, (name, matches)
    return matches[0]


@pytest.mark.parametrize("name", EXPECTED_ORGANISATIONS)
def test_every_organisation_exists(demo: Loaded, name: str) -> None:
    _find_organisation(name)


def test_organisation_tree(demo: Loaded) -> None:
    def parent_of(key: str) -> str | None:
        org = Organization.objects.get(external_id=demo_id(key))
        return None if org.parent is None else org.parent.external_id

    assert parent_of("ml-justice-militaire") == demo_id("ml-ministere-defense")
    assert parent_of("ml-garde-nationale") == demo_id("ml-fama")
    assert parent_of("ml-fama") == demo_id("ml-ministere-defense")
    assert parent_of("fr-mcd") == demo_id("fr-dcsd")
    assert parent_of("fr-dcsd") == demo_id("fr-maedi")
    assert parent_of("fr-mission-defense") == demo_id("fr-ministere-defense")
    assert parent_of("us-diils") == demo_id("us-dod")
    assert parent_of("cedeao-brigade") == demo_id("faa")


def test_schools_are_linked_to_their_organisations(demo: Loaded) -> None:
    envr = School.objects.get(organization__acronym_fr="ENVR")
    emp = School.objects.get(organization__acronym_fr="EMP")
    assert envr.is_regional
    assert envr.organization.kind == "school"
    assert emp.subdivision is not None
    assert emp.subdivision.code == "ML-BKO"


def test_activities_of_the_french_page(demo: Loaded) -> None:
    garde = Activity.objects.get(external_id=demo_id("fr-equipement-garde-nationale"))
    assert garde.activity_type == "equipment"
    roles = {(p.organization.external_id, p.role) for p in garde.participations.all()}
    assert (demo_id("ml-garde-nationale"), "beneficiary") in roles
    assert (demo_id("fr-mcd"), "implementing") in roles
    assert (demo_id("fr-dcsd"), "funding") in roles
    assert garde.parent is not None
    assert garde.agreement is not None
    types = set(Activity.objects.values_list("activity_type", flat=True))
    assert {
        "equipment",
        "technical_assistance",
        "logistics",
        "advisory",
        "training",
        "infrastructure",
    } <= types


def test_visits_and_statements_of_early_2025(demo: Loaded) -> None:
    visit = Event.objects.get(kind=Event.Kind.VISIT)
    assert str(visit.start_date) == str(visit.end_date) == "2025-02-11"
    assert visit.locality == "Stuttgart"
    assert visit.venue is not None
    assert visit.venue.acronym_en == "AFRICOM"
    assert [p.person.full_name for p in visit.participants.all() if p.person] == ["Pete Hegseth"]
    rubio = ContextEvent.objects.get(kind=ContextEvent.Kind.DIPLOMATIC)
    assert str(rubio.start_date) == "2025-01-22"
    assert rubio.date_as_written == "trois semaines plus tôt le 22 janvier"


def test_context_events_keep_the_precision_of_the_text(demo: Loaded) -> None:
    periods = dict(ContextEvent.objects.exclude(period="").values_list("kind", "period"))
    assert periods["coup"] == "2020"
    assert periods["withdrawal"] == "2022"
    assert periods["mission_end"] == "2023"
    attacks = ContextEvent.objects.filter(kind="attack")
    actors = set(attacks.values_list("actors__acronym_en", flat=True))
    assert actors == {"JNIM", "ISGS"}
    for context_event in ContextEvent.objects.filter(
        kind__in=["coup", "withdrawal", "mission_end"]
    ):
        assert context_event.start_date is None
        assert context_event.end_date is None


# The samples the project started from (byte-identical copies in liaison/demo/documents).
SAMPLE_SHA256 = {
    "fr-cooperation-militaire-mali-2016.txt": (
        "43225fe3e4aeb581aff289abbddcb3bc8675096fa78607500f577822b3d945c9"
    ),
    "us-mali-cooperation-diils-2025.txt": (
        "c38988729c0cbd6bc599cdbfd66ced7c44a43c1de5b3775c63e35efa0fd3ab73"
    ),
}


def test_the_documents_are_the_samples_byte_for_byte() -> None:
    assert {spec.file_name for spec in data.DOCUMENTS} == set(SAMPLE_SHA256)
    for file_name, digest in SAMPLE_SHA256.items():
        assert hashlib.sha256(read_document(file_name)).hexdigest() == digest


def test_sources_are_the_documents_as_received(demo: Loaded) -> None:
    for spec in data.DOCUMENTS:
        source = Source.objects.get(file_name=spec.file_name)
        raw = read_document(spec.file_name)
        assert source.text == raw.decode("utf-8")
        assert source.sha256 == hashlib.sha256(raw).hexdigest()
        assert source.language == "fr"
    french = Source.objects.get(file_name="fr-cooperation-militaire-mali-2016.txt")
    assert str(french.modified_on) == "2016-05-16"
    assert french.kind == Source.Kind.WEB_PAGE
    article = Source.objects.get(file_name="us-mali-cooperation-diils-2025.txt")
    assert article.author == "Pearl Matibe"
    assert article.kind == Source.Kind.PRESS_ARTICLE
    assert "Laisser un commentaire" in article.text  # boilerplate kept as received


def test_the_french_page_dates_its_actions_to_2016_and_no_day(demo: Loaded) -> None:
    french = Activity.objects.filter(owner__slug="mcd-mali")
    assert french.count() == 12
    assert set(french.values_list("period", flat=True)) == {"2016"}
    assert not french.filter(planned_start__isnull=False).exists()
    assert not french.filter(actual_start__isnull=False).exists()
    diils = Activity.objects.get(external_id=demo_id("us-diils-droit-conflits-armes"))
    assert diils.period == "2025-02"


def test_the_request_has_no_invented_date_received(demo: Loaded) -> None:
    from django.test import Client

    request = Request.objects.get()
    assert request.received_on is None
    assert request.received_period == ""
    client = Client()
    client.force_login(get_user_model().objects.get(username="fr-viewer"))
    dashboard = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    item = next(i for i in dashboard.context["requests"] if i["request"].pk == request.pk)
    assert item["age"] is None
    page = dashboard.content.decode()
    assert "received: unknown" in page or "date inconnue" in page
    assert " days</span>" not in page
    assert " jours</span>" not in page


def test_workspaces_and_releases(demo: Loaded) -> None:
    mcd = Workspace.objects.get(slug="mcd-mali")
    osc = Workspace.objects.get(slug="osc-mali")
    assert mcd.name == "Mission de coopération de défense — Mali"
    assert Source.objects.get(owner=mcd).file_name.startswith("fr-")
    # The article, and the US training report's extract (accountability).
    assert sorted(Source.objects.filter(owner=osc).values_list("file_name", flat=True)) == [
        "2019_2020_Africa_fmtrpt_extract.xml", "us-mali-cooperation-diils-2025.txt",
    ]  # fmt: skip
    assert Request.objects.filter(owner=mcd, release=Release.PRIVATE).exists()
    assert Activity.objects.filter(owner=mcd, release=Release.PRIVATE).exists()
    assert Activity.objects.filter(release=Release.NAMED, released_to=osc, owner=mcd).exists()
    assert Activity.objects.filter(release=Release.NAMED, released_to=mcd, owner=osc).exists()
    assert Organization.objects.exclude(release=Release.OPEN).count() == 0
    assert ContextEvent.objects.exclude(release=Release.OPEN).count() == 0
    for model in record_models():
        for obj in model._default_manager.all():
            assert isinstance(obj, OwnedModel)
            assert obj.marking is not None, obj
            named = obj.released_to.exists()
            assert named == (obj.release == Release.NAMED), obj


def test_admin_user_and_history_authorship(demo: Loaded) -> None:
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("liaison-demo")
    roles = set(Membership.objects.filter(user=admin).values_list("workspace__slug", "role"))
    assert roles == {("mcd-mali", Role.ADMINISTRATOR), ("osc-mali", Role.ADMINISTRATOR)}
    haidara = Person.objects.get(full_name="Harouna Haïdara")
    assert haidara.created_by == admin
    assert {h.history_user_id for h in haidara.history.all()} == {admin.pk}
    # The admin sees the demo through their memberships.
    assert Activity.objects.visible_to(admin).count() == Activity.objects.count()


def test_the_demo_password_can_be_set_from_the_environment(
    demo: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "another-demo-password")
    admin = ensure_demo_users()["admin"]
    admin.refresh_from_db()
    assert admin.check_password("another-demo-password")


def test_a_quote_not_in_its_source_fails_loudly() -> None:
    assert quote_span("la garde nationale", "garde") == (3, 8)
    with pytest.raises(DemoDataError):
        quote_span("la garde nationale", "la gendarmerie")
