"""A record a user may see can link to a record the user may not see: the linked record's
name appears nowhere the user can look (core.links).

Workspace A releases records to everyone (open) that link to records private to A, all
named with SECRET. A member of workspace B sees the open records: their list (every
column), its CSV and XLSX exports, their pages, the global search, the pickers'
search-as-you-type, the dashboard, the calendar and the timeline must never show
SECRET. Edit forms are checked with a record of A linking to records private to a third
workspace C, edited by an editor of A who is not in C: the form shows nothing of them
and saving it keeps the links.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.core.choices import Release, Role
from liaison.core.generic import url_name
from liaison.core.links import (
    NAME_LINKS,
    Withheld,
    has_release,
    name_paths,
    withhold_hidden,
    withhold_names,
)
from liaison.core.models import Citation, Membership, Workspace
from liaison.core.querysets import visible
from liaison.core.registry import child_models, record_models
from liaison.core.search import REGISTRY
from liaison.core.tests.pages import page_data
from liaison.partners.models import Organization, Person, Position
from liaison.vetting.models import ScreeningHit
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "XYZZY"
NOTICE = "(not released to you)"
OPEN = Release.OPEN
TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=3)


@dataclass
class World:
    a: Workspace
    b: Workspace
    c: Workspace
    a_editor: AbstractUser
    a_vetting: AbstractUser
    b_viewer: AbstractUser
    b_vetting: AbstractUser


def _member(workspace: Workspace, *roles: str) -> AbstractUser:
    user = f.user()
    for role in roles:
        Membership.objects.create(user=user, workspace=workspace, role=role)
    return user


@pytest.fixture
def world() -> World:
    a = f.workspace(name="Mission A", slug="mission-a")
    b = f.workspace(name="Mission B", slug="mission-b")
    c = f.workspace(name="Mission C", slug="mission-c")
    return World(
        a=a,
        b=b,
        c=c,
        a_editor=_member(a, Role.EDITOR),
        a_vetting=_member(a, Role.VETTING_OFFICER),
        b_viewer=_member(b, Role.VIEWER),
        b_vetting=_member(b, Role.VETTING_OFFICER),
    )


def client_for(user: AbstractUser) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    """What a response shows, whatever its format (page, JSON, CSV or XLSX)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    if "spreadsheetml" in response.get("Content-Type", ""):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
    return str(response.content.decode())


def shown(client: Client, url: str, **params: Any) -> str:
    """The response's text, after checking it shows nothing of SECRET."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    text = text_of(response)
    assert SECRET.lower() not in text.lower(), f"{url} {params} shows a withheld record"
    return text


# --- records of A, private: the links' targets -------------------------------------


def hidden_org(world: World, **fields: Any) -> Organization:
    return f.organization(owner=world.a, name_fr=f"Unité secrète {SECRET}", **fields)


def hidden_person(world: World) -> Person:
    return f.person(owner=world.a, full_name=f"Agent secret {SECRET}")


# --- the cases: a record open to B that links to hidden records ---------------------


@dataclass
class Case:
    record: models.Model
    # Words of the record's own (visible) text, to find it by search.
    words: str | None = None
    # What its page shows in place of a hidden link (the notice, when a link is shown).
    detail_shows: tuple[str, ...] = (NOTICE,)
    # What its list row shows (the notice, when a linked record is a column).
    list_shows: tuple[str, ...] = ()
    month: datetime.date | None = None
    vetting: bool = False
    pages: list[str] = field(default_factory=list)


def position_case(world: World) -> Case:
    position = f.position(
        owner=world.a,
        release=OPEN,
        person=hidden_person(world),
        organization=hidden_org(world),
        title_fr="Chef visible Kilo",
    )
    return Case(position, "kilo", list_shows=("Chef visible Kilo", NOTICE))


def organization_case(world: World) -> Case:
    root = f.organization(owner=world.a, release=OPEN, name_fr="Racine visible Juliet")
    middle = hidden_org(world, parent=root)
    leaf = f.organization(
        owner=world.a, release=OPEN, name_fr="Bataillon visible Lima", parent=middle
    )
    # Positions and advisors of hidden persons at a visible organisation, on its page.
    f.position(owner=world.a, release=OPEN, person=hidden_person(world), organization=leaf)
    f.assignment(owner=world.a, release=OPEN, person=hidden_person(world), organization=leaf)
    return Case(
        leaf,
        "lima",
        detail_shows=(NOTICE, "Racine visible Juliet"),
        list_shows=("Bataillon visible Lima", NOTICE),
    )


def person_case(world: World) -> Case:
    person = f.person(owner=world.a, release=OPEN, full_name="Officier visible Alpha")
    f.position(owner=world.a, release=OPEN, person=person, organization=hidden_org(world))
    f.assignment(owner=world.a, release=OPEN, person=person, organization=hidden_org(world))
    session = f.session(
        owner=world.a, release=OPEN, course=f.course(owner=world.a, title_fr=f"Stage {SECRET}")
    )
    f.enrollment(session=session, person=person)
    return Case(person, "alpha", list_shows=("Officier visible Alpha",))


def school_case(world: World) -> Case:
    school = f.school(
        owner=world.a,
        release=OPEN,
        organization=hidden_org(world, kind="school"),
        description="Ecole visible Mike",
    )
    f.session(
        owner=world.a,
        release=OPEN,
        course=f.course(owner=world.a, school=school, title_fr=f"Stage {SECRET}"),
        name="Session visible",
    )
    # Filters on the school name it, when chosen, as the user may see it.
    lists = ("training:session_list", "training:course_list")
    filtered = [f"{reverse(name)}?school={school.pk}" for name in lists]
    return Case(school, "mike", list_shows=(NOTICE,), pages=filtered)


def course_case(world: World) -> Case:
    school = f.school(owner=world.a, release=OPEN, organization=hidden_org(world, kind="school"))
    course = f.course(owner=world.a, release=OPEN, school=school, title_fr="Stage visible Bravo")
    return Case(course, "bravo", list_shows=("Stage visible Bravo", NOTICE))


def session_case(world: World) -> Case:
    course = f.course(owner=world.a, title_fr=f"Stage secret {SECRET}")
    session = f.session(
        owner=world.a,
        release=OPEN,
        course=course,
        name="Session visible November",
        start_date=SOON,
        end_date=SOON,
        activity=f.activity(owner=world.a, title=f"Action {SECRET}"),
    )
    # Trainees the user may not see, nor their unit; and their vetting (approved).
    person = hidden_person(world)
    f.enrollment(session=session, person=person, unit=hidden_org(world))
    f.vetting_request(owner=world.a, release=OPEN, subject_person=person, status="approved")
    return Case(session, "november", list_shows=(NOTICE,), month=SOON)


def event_case(world: World) -> Case:
    event = f.event(
        owner=world.a,
        release=OPEN,
        title="Séminaire visible Oscar",
        venue=hidden_org(world),
        activity=f.activity(owner=world.a, title=f"Action {SECRET}"),
        start_date=SOON,
    )
    event.organisers.set([hidden_org(world)])
    f.participant(event=event, person=hidden_person(world))
    f.participant(event=event, person=None, organization=hidden_org(world))
    return Case(event, "oscar", list_shows=("Séminaire visible Oscar",), month=SOON)


def context_event_case(world: World) -> Case:
    context = f.context_event(
        owner=world.a, release=OPEN, title_fr="Contexte visible Papa", start_date=SOON
    )
    context.actors.set([hidden_org(world)])
    return Case(context, "papa", detail_shows=(), list_shows=("Contexte visible Papa",))


def activity_case(world: World) -> Case:
    activity = f.activity(
        owner=world.a,
        release=OPEN,
        title="Action visible Romeo",
        agreement=f.agreement(owner=world.a, title=f"Accord {SECRET}"),
        parent=f.activity(owner=world.a, title=f"Programme {SECRET}"),
        planned_start=SOON,
        planned_end=SOON,
    )
    f.activity_participation(activity=activity, organization=hidden_org(world), role="funding")
    f.transaction(activity=activity, provider=hidden_org(world), receiver=hidden_org(world))
    f.assignment(owner=world.a, release=OPEN, activity=activity, person=hidden_person(world))
    f.session(owner=world.a, release=OPEN, activity=activity, course=f.course(owner=world.a))
    return Case(activity, "romeo", list_shows=("Action visible Romeo", NOTICE), month=SOON)


def assignment_case(world: World) -> Case:
    assignment = f.assignment(
        owner=world.a,
        release=OPEN,
        role="Conseiller visible Quebec",
        person=hidden_person(world),
        organization=hidden_org(world),
        sending_organization=hidden_org(world),
        activity=f.activity(owner=world.a, title=f"Action {SECRET}"),
        end_date=SOON,
    )
    return Case(assignment, "quebec", list_shows=("Conseiller visible Quebec", NOTICE))


def request_case(world: World) -> Case:
    request = f.request(
        owner=world.a, release=OPEN, title="Demande visible Sierra", requester=hidden_org(world)
    )
    request.answered_by.add(f.activity(owner=world.a, title=f"Réponse {SECRET}"))
    return Case(request, "sierra", list_shows=("Demande visible Sierra", NOTICE))


def agreement_case(world: World) -> Case:
    agreement = f.agreement(owner=world.a, release=OPEN, title="Accord visible Tango")
    agreement.parties.set([hidden_org(world)])
    f.activity(owner=world.a, release=OPEN, agreement=agreement)
    return Case(agreement, "tango", detail_shows=(), list_shows=("Accord visible Tango",))


def vetting_case(world: World) -> Case:
    session = f.session(owner=world.a, release=OPEN, course=f.course(owner=world.a))
    enrollment = f.enrollment(session=session, person=hidden_person(world))
    vetting = f.vetting_request(
        owner=world.a,
        release=OPEN,
        subject_person=hidden_person(world),
        activity=f.activity(owner=world.a, title=f"Action {SECRET}"),
        enrollment=enrollment,
        event=f.event(owner=world.a, title=f"Séminaire {SECRET}"),
        status="approved",
        valid_until=SOON,
    )
    f.vetting_request(owner=world.a, release=OPEN, subject_person=vetting.subject_person)
    return Case(vetting, None, list_shows=(NOTICE,), vetting=True)


def source_case(world: World) -> Case:
    source = f.source(owner=world.a, release=OPEN, title="Rapport visible Uniform")
    position = f.position(
        owner=world.a,
        release=OPEN,
        person=hidden_person(world),
        organization=hidden_org(world),
    )
    f.citation(source=source, record=position)
    hidden_course = f.course(owner=world.a, title_fr=f"Stage {SECRET}")
    f.citation(source=source, record=f.session(owner=world.a, release=OPEN, course=hidden_course))
    return Case(source, "uniform", detail_shows=(NOTICE,), list_shows=("Rapport visible Uniform",))


CASES: dict[str, Callable[[World], Case]] = {
    "position": position_case,
    "organization": organization_case,
    "person": person_case,
    "school": school_case,
    "course": course_case,
    "session": session_case,
    "event": event_case,
    "context_event": context_event_case,
    "activity": activity_case,
    "assignment": assignment_case,
    "request": request_case,
    "agreement": agreement_case,
    "vetting": vetting_case,
    "source": source_case,
}


@pytest.mark.parametrize("build", CASES.values(), ids=CASES.keys())
def test_linked_records_the_user_may_not_see_show_nowhere(
    world: World, build: Callable[[World], Case]
) -> None:
    case = build(world)
    record, model = case.record, type(case.record)
    client = client_for(world.b_vetting if case.vetting else world.b_viewer)

    # The list, with every column, and its exports.
    list_url = reverse(url_name(model, "list"))
    columns = [name for name, _ in client.get(list_url).context["choosable_columns"]]
    page = shown(client, list_url, columns=columns)
    assert record.get_absolute_url() in page
    for fmt in ("csv", "xlsx"):
        exported = shown(client, list_url, columns=columns, export=fmt)
        for text in case.list_shows:
            assert text in exported, (fmt, text)
    for text in case.list_shows:
        assert text in page, text

    # Its page, and its edit page for the record's own editors (not B's).
    detail = shown(client, record.get_absolute_url())
    for text in case.detail_shows:
        assert text in detail, text

    # Search, the list's search box and the pickers: found by its own words, never by
    # the words of a record it links to.
    if case.words:
        found = shown(client, reverse("search"), q=case.words)
        assert record.get_absolute_url() in found
        filtered = client.get(list_url, {"q": case.words}).context["table"].data
        assert record.pk in {r.pk for r in filtered}
    # (The search page repeats the words asked: only its results matter here.)
    by_name = client.get(reverse("search"), {"q": SECRET}).context["groups"]
    assert record not in {obj for group in by_name for obj in group.results}
    by_secret = client.get(list_url, {"q": SECRET}).context["table"].data
    assert record.pk not in {r.pk for r in by_secret}
    if model in REGISTRY:
        picker = reverse("autocomplete", args=[model._meta.app_label, model._meta.model_name])
        answer = client.get(picker, {"q": case.words or ""}).json()
        assert SECRET.lower() not in str(answer).lower()
        assert record.pk not in {
            r["id"] for r in client.get(picker, {"q": SECRET}).json()["results"]
        }

    # The dashboard, the calendar (month and list) and the timeline.
    shown(client, reverse("home"))
    month = case.month or TODAY
    calendar = shown(client, reverse("reports:calendar"), month=f"{month:%Y-%m}", view="list")
    if case.month:
        assert record.get_absolute_url() in calendar
    shown(client, reverse("reports:calendar"), month=f"{month:%Y-%m}")
    shown(client, reverse("reports:timeline"))
    for url in case.pages:
        shown(client, url)


def test_the_tree_shows_a_hidden_ancestor_as_withheld(world: World) -> None:
    root = f.organization(owner=world.a, release=OPEN, name_fr="Racine visible")
    middle = hidden_org(world, parent=root)
    leaf = f.organization(owner=world.a, release=OPEN, name_fr="Feuille visible", parent=middle)
    response = client_for(world.b_viewer).get(leaf.get_absolute_url())
    assert [str(a) for a in response.context["ancestors"]] == ["Racine visible", NOTICE]
    assert isinstance(response.context["ancestors"][1], Withheld)
    page = response.content.decode()
    assert root.get_absolute_url() in page
    assert middle.get_absolute_url() not in page


def test_a_withheld_trainee_shows_no_clearance(world: World) -> None:
    session = f.session(owner=world.a, release=OPEN)
    person = hidden_person(world)
    f.enrollment(session=session, person=person)
    f.vetting_request(owner=world.a, release=OPEN, subject_person=person, status="approved")
    response = client_for(world.b_viewer).get(session.get_absolute_url())
    (trainee,) = response.context["trainees"]
    assert isinstance(trainee.person, Withheld)
    assert trainee.clearance is None


def test_filters_by_a_linked_name_find_only_what_the_user_may_read(world: World) -> None:
    event = f.event(owner=world.a, release=OPEN)
    f.participant(event=event, person=hidden_person(world))
    vetting = f.vetting_request(owner=world.a, release=OPEN, subject_person=hidden_person(world))
    for user, url, name, record in (
        (world.b_viewer, reverse("events:event_list"), "participant", event),
        (world.b_vetting, reverse("vetting:vettingrequest_list"), "subject", vetting),
    ):
        client = client_for(user)
        rows = client.get(url, {name: SECRET}).context["table"].data
        assert record.pk not in {r.pk for r in rows}, url
        # Those who see the linked record find it by its name.
        insider = _member(world.a, Role.VETTING_OFFICER)
        rows = client_for(insider).get(url, {name: SECRET}).context["table"].data
        assert record.pk in {r.pk for r in rows}, url


def test_search_counts_only_what_the_user_may_read(world: World) -> None:
    """A position titled like the search is found; one found only through its hidden
    organisation's name is neither listed nor counted."""
    for _ in range(12):
        f.position(owner=world.a, release=OPEN, organization=hidden_org(world), title_fr="Chef")
    client = client_for(world.b_viewer)
    groups = client.get(reverse("search"), {"q": SECRET}).context["groups"]
    assert groups == []
    groups = client.get(reverse("search"), {"q": "chef"}).context["groups"]
    positions = [g for g in groups if g.model is Position]
    assert positions[0].total == 12
    assert all(SECRET not in str(p) for p in positions[0].results)
    # A member of A sees the organisation: the position is found through its name.
    found = client_for(_member(world.a, Role.VIEWER)).get(reverse("search"), {"q": SECRET})
    assert any(g.model is Position and g.total == 12 for g in found.context["groups"])


def test_search_finds_the_same_whether_it_reads_the_entries_once_or_not(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Global search checks the links of the ids it read once (core.search
    visible_match_ids); past READ_ONCE_LIMIT it matches each kind in the database
    (visible_matches): both find the same records, with the same counts."""
    from liaison.core import search as core_search

    person = f.person(owner=world.a, release=OPEN, full_name="Chef Ouvert")
    for n in range(3):
        f.position(owner=world.a, release=OPEN, organization=hidden_org(world), title_fr="Chef")
        f.position(owner=world.a, release=OPEN, person=hidden_person(world), title_fr=f"Adj {n}")
        f.position(owner=world.a, release=OPEN, person=person, title_fr=f"Poste {n}")
    user = world.b_viewer

    def found(query: str) -> list[tuple[str, int, set[int], set[str]]]:
        return [
            (g.label, g.total, {o.pk for o in g.results}, {str(o) for o in g.results})
            for g in core_search.search(user, query, per_kind=100)
        ]

    queries = ["chef", SECRET, "agent", "poste chef", "adj"]
    once = {q: found(q) for q in queries}
    monkeypatch.setattr(core_search, "READ_ONCE_LIMIT", 0)
    assert {q: found(q) for q in queries} == once
    positions = {label: total for label, total, *_ in once["chef"]}
    assert positions[str(Position._meta.verbose_name_plural)] == 6  # 3 titled, 3 by person
    assert once[SECRET] == []
    assert once["agent"] == []
    assert once["adj"] != []


# --- edit forms: links to a third workspace's private records -----------------------


def posted_back(response: Any) -> dict[str, Any]:
    """What the browser posts back, unchanged, from an edit page."""
    return page_data(response)


def c_org(world: World, **fields: Any) -> Organization:
    return f.organization(owner=world.c, name_fr=f"Unité de C {SECRET}", **fields)


def c_person(world: World) -> Person:
    return f.person(owner=world.c, full_name=f"Agent de C {SECRET}")


def _links(record: models.Model) -> dict[str, Any]:
    """The record's links as stored: single links' ids, many-to-many links' id sets."""
    record.refresh_from_db()
    values: dict[str, Any] = {}
    for model_field in record._meta.get_fields():
        if (model_field.many_to_one or model_field.one_to_one) and model_field.concrete:
            if model_field.name not in {"owner", "marking", "created_by", "updated_by"}:
                values[model_field.name] = getattr(record, model_field.attname)
        elif (
            model_field.many_to_many and model_field.concrete and model_field.name != "released_to"
        ):
            pks = getattr(record, model_field.name).values_list("pk", flat=True)
            values[model_field.name] = set(pks)
    return values


def form_cases(world: World) -> dict[str, tuple[models.Model, list[models.Model]]]:
    """{name: (a record of A linking to C's private records, its children to check)}"""
    a = world.a
    event = f.event(owner=a, venue=c_org(world))
    event.organisers.set([c_org(world), f.organization(owner=a)])
    participant = f.participant(event=event, person=c_person(world))
    context = f.context_event(owner=a)
    context.actors.set([c_org(world)])
    session = f.session(owner=a, course=f.course(owner=world.c, title_fr=f"Stage {SECRET}"))
    enrollment = f.enrollment(session=session, person=c_person(world), unit=c_org(world))
    agreement = f.agreement(owner=a)
    agreement.parties.set([c_org(world)])
    activity = f.activity(owner=a, agreement=f.agreement(owner=world.c, title=f"Accord {SECRET}"))
    transaction = f.transaction(activity=activity, provider=c_org(world))
    request = f.request(owner=a, requester=c_org(world))
    request.answered_by.add(f.activity(owner=world.c, title=f"Action {SECRET}"))
    school = f.school(owner=a, release=OPEN, organization=c_org(world, kind="school"))
    return {
        "position": (
            f.position(owner=a, person=c_person(world), organization=c_org(world)),
            [],
        ),
        "organization": (f.organization(owner=a, parent=c_org(world)), []),
        "school": (school, []),
        "course": (f.course(owner=a, school=f.school(owner=world.c)), []),
        "session": (session, [enrollment]),
        "event": (event, [participant]),
        "context_event": (context, []),
        "agreement": (agreement, []),
        "activity": (activity, [transaction]),
        "request": (request, []),
        "assignment": (
            f.assignment(
                owner=a,
                person=c_person(world),
                organization=c_org(world),
                sending_organization=c_org(world),
            ),
            [],
        ),
        "vetting": (f.vetting_request(owner=a, subject_person=c_person(world)), []),
    }


def test_edit_forms_show_nothing_of_hidden_links_and_keep_them(world: World) -> None:
    for name, (record, children) in form_cases(world).items():
        editor = world.a_vetting if name == "vetting" else world.a_editor
        client = client_for(editor)
        url = reverse(url_name(type(record), "edit"), args=[record.pk])
        response = client.get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert SECRET.lower() not in page.lower(), name
        before = [_links(r) for r in (record, *children)]
        saved = client.post(url, posted_back(response))
        assert saved.status_code == 302, (name, saved.content.decode()[:3000])
        assert [_links(r) for r in (record, *children)] == before, name


def test_a_new_choice_replaces_a_hidden_single_link(world: World) -> None:
    position = f.position(owner=world.a, person=c_person(world), organization=c_org(world))
    chosen = f.organization(owner=world.a, name_fr="Nouvelle unité")
    client = client_for(world.a_editor)
    url = reverse("partners:position_edit", args=[position.pk])
    data = posted_back(client.get(url))
    assert "organization" not in data
    assert client.post(url, {**data, "organization": str(chosen.pk)}).status_code == 302
    position.refresh_from_db()
    assert position.organization_id == chosen.pk


def test_choices_are_named_without_hidden_links(world: World) -> None:
    """A school whose organisation the editor may not see is offered by the notice."""
    school = f.school(owner=world.a, release=OPEN, organization=c_org(world, kind="school"))
    client = client_for(world.a_editor)
    response = client.get(reverse("training:course_add"))
    page = response.content.decode()
    assert SECRET.lower() not in page.lower()
    labels = dict(response.context["form"].fields["school"].choices)
    assert NOTICE in {str(label) for value, label in labels.items() if str(value) == str(school.pk)}


# --- the names of records ------------------------------------------------------------

NAMED = [m for m in (*record_models(), *child_models(), Citation, ScreeningHit) if m in f.FOR_MODEL]


def _shown_to_outsiders(made: models.Model) -> None:
    """Open the record (or its parent, or its source and record) to every workspace; what
    it links to stays private to the factories' workspace."""
    opened = []
    if isinstance(made, Citation):
        opened = [made.source, made.record]
    elif getattr(made, "parent_field", ""):
        opened = [getattr(made, made.parent_field)]  # type: ignore[attr-defined]
    else:
        opened = [made]
    for record in opened:
        record.release = OPEN
        record.save()


@pytest.mark.parametrize("outsider", [False, True], ids=["insider", "outsider"])
@pytest.mark.parametrize("model", NAMED, ids=lambda m: m._meta.label)
def test_a_name_reads_only_the_links_it_withholds(
    model: type[models.Model], outsider: bool
) -> None:
    """`str()` of a record costs no query once the links of its name are withheld (no
    link it reads escapes `NAME_LINKS`), and shows none of them to an outsider."""
    if outsider and model is ScreeningHit:
        pytest.skip("a hit is seen only by those who see its subject")
    made = f.FOR_MODEL[model]()
    workspace = f.workspace() if outsider else f.owner_workspace()
    user = _member(workspace, Role.VETTING_OFFICER)
    if outsider:
        _shown_to_outsiders(made)
    plain = [
        x.name
        for x in model._meta.concrete_fields
        if (x.many_to_one or x.one_to_one) and not has_release(x.related_model)
    ]
    records = visible(model, user)
    record = (records.select_related(*plain) if plain else records).get(pk=made.pk)
    withhold_names([record], user)
    with CaptureQueriesContext(connection) as queries:
        name = str(record)
    assert len(queries) == 0, (name_paths(model), [q["sql"] for q in queries])
    opened = {getattr(model, "parent_field", ""), "source"}  # opened to be seen
    for link in NAME_LINKS.get(model._meta.label_lower, ()):
        target = getattr(record, link)
        if outsider and target is not None and link not in opened:
            assert isinstance(target, Withheld), link
            assert str(getattr(made, link)) not in name


def test_name_links_are_links_to_records_with_a_release() -> None:
    for label, links in NAME_LINKS.items():
        assert set(name_paths(apps.get_model(label))) >= set(links), label


def test_a_withheld_link_reads_as_the_notice(world: World) -> None:
    position = f.position(owner=world.a, release=OPEN, organization=hidden_org(world))
    record = Position.objects.get(pk=position.pk)
    withhold_hidden([record], world.b_viewer, "organization")
    assert isinstance(record.organization, Withheld)
    assert str(record.organization) == NOTICE
    assert record.organization.get_absolute_url() is None
    assert SECRET not in str(record)


# --- the cost does not grow with the rows ---------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_withholding_costs_a_fixed_number_of_queries(world: World) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            course = f.course(owner=world.a, title_fr=SECRET)
            session = f.session(owner=world.a, release=OPEN, course=course, start_date=SOON)
            f.position(
                owner=world.a,
                release=OPEN,
                person=hidden_person(world),
                organization=hidden_org(world),
            )
            f.enrollment(session=session, person=hidden_person(world))

    client = client_for(world.b_viewer)
    urls = [
        reverse("partners:position_list"),
        reverse("training:session_list"),
        reverse("search") + "?q=directeur",
        reverse("home"),
        reverse("reports:calendar") + f"?month={SOON:%Y-%m}&view=list",
    ]
    add(11)  # more than a search shows of a kind: the search counts them
    for url in urls:
        client.get(url)  # warms the caches (content types, sessions)
    with_11 = [_count(client, url) for url in urls]
    add(30)
    assert [_count(client, url) for url in urls] == with_11
