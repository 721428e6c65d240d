"""The figures of every chart, checked against the small synthetic world (`liaison synth
--scale small`) by plain counting here, not by the code that draws them: as a viewer of
a synthetic mission, as a viewer of another synthetic mission (who sees the records
named or opened to it) and as the member of a workspace the world knows nothing of (who
sees only the open records). What a user may not see is counted under one row, never
named."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from liaison.activities.choices import (
    ActivityStatus,
    BudgetKind,
    ParticipationRole,
    TransactionType,
)
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Assignment,
    BudgetLine,
    Transaction,
)
from liaison.core.choices import Release, Role
from liaison.demo.synth import synthesize
from liaison.events.models import ContextEvent, Event, Participant
from liaison.geo.models import Subdivision
from liaison.partners.choices import OrganizationKind
from liaison.partners.models import Organization
from liaison.reports import analysis
from liaison.reports.tests.test_analysis import counted, demo_user, figure, outsider, seen
from liaison.training.models import Course, Enrollment, School, Session
from tests import factories

pytestmark = pytest.mark.django_db

SEED = 5
# A viewer of a synthetic mission, a viewer of another one, and a stranger to them all.
USERS = ["mcd-ml-synth-viewer", "osc-ne-synth-viewer", "outsider"]
DONORS = {ParticipationRole.FUNDING, ParticipationRole.EXTENDING}
# What the test takes for law-of-armed-conflict training (the synthetic topic).
LOAC = ("conflits armés", "armed conflict", "droit international humanitaire")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The small synthetic world, made once for the module; rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        synthesize("small", SEED, lambda line: None)
        yield
        transaction.set_rollback(True)


@pytest.fixture(params=USERS)
def user(request: pytest.FixtureRequest, world: None) -> Any:
    return outsider() if request.param == "outsider" else demo_user(request.param)


def shown_text(figures: list[analysis.Figure]) -> str:
    """Everything a figure shows: its chart, table and note."""
    cells = " ".join(cell.text for f in figures for row in f.rows for cell in row)
    return " ".join([cells, *(str(f.chart) for f in figures), *(f.note for f in figures)])


def assert_tables_match(figures: list[analysis.Figure], keys: tuple[str, ...]) -> None:
    """The table beside each chart shows the chart's figures, row by row."""
    for key in keys:
        f = figure(figures, key)
        assert sorted(whole(row[-1].text) for row in f.rows) == sorted(f.data.values()), key


def assert_unnamed(text: str, hidden: list[str], visible: set[str]) -> None:
    """No name of a record the user may not see (unless a visible one bears it too)."""
    for name in hidden:
        if name in visible:
            continue
        for form in {name, html.escape(name)}:
            # The whole name: "... 1" is not named by "... 12".
            assert not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text), name


def hidden_org_names(user: Any) -> tuple[list[str], set[str]]:
    shown = seen(Organization, user)
    ids = {o.pk for o in shown}
    hidden = [str(o) for o in Organization.objects.exclude(pk__in=ids)]
    return hidden, {str(o) for o in shown}


def whole(text: str) -> int:
    """A number as a table shows it (with its thousands separators)."""
    return int(re.sub(r"\D", "", text))


def years(start: dt.date | None, end: dt.date | None) -> range:
    """The years a record is under way in (an open end runs to this year)."""
    if start is None:
        return range(0)
    last = end.year if end else max(start.year, timezone.localdate().year)
    return range(start.year, last + 1)


def test_the_synthetic_world_is_there_and_partly_hidden(user: Any) -> None:
    """The world the other tests count in: each user sees some activities, not all."""
    mine = len(seen(Activity, user))
    assert 0 < mine < Activity.objects.count() == 200
    assert analysis.portfolio(user, {})["count"] == mine
    if user.username == "osc-ne-synth-viewer":  # named releases reach other missions
        assert any(a.release == Release.NAMED for a in seen(Activity, user))


def test_portfolio_by_type_status_donor_beneficiary_and_region(user: Any) -> None:
    activities = seen(Activity, user)
    ids = {a.pk for a in activities}
    figures = analysis.portfolio(user, {})["figures"]
    assert figure(figures, "type").data == Counter(a.activity_type for a in activities)
    assert figure(figures, "status").data == Counter(a.status for a in activities)
    shown = {o.pk for o in seen(Organization, user)}
    links = [p for p in ActivityParticipation.objects.all() if p.activity_id in ids]

    def by_org(roles: set[Any]) -> dict[Any, int]:
        return counted(
            [
                (
                    p.organization_id if p.organization_id in shown else analysis.HIDDEN,
                    p.activity_id,
                )
                for p in links
                if p.role in roles
            ]
        )

    donors, beneficiaries = by_org(DONORS), by_org({ParticipationRole.BENEFICIARY})
    assert figure(figures, "donor").data == donors
    assert figure(figures, "beneficiary").data == beneficiaries
    assert sum(donors.values()) == len(activities)  # each synthetic activity has its donor
    places = [p for p in ActivityPlace.objects.all() if p.activity_id in ids]
    regions = figure(figures, "region")
    assert regions.data == counted(
        [(p.subdivision_id or analysis.NONE, p.activity_id) for p in places]
    )
    unplaced = len(ids - {p.activity_id for p in places})
    assert (str(unplaced) in regions.note) if unplaced else regions.note == ""
    hidden, visible = hidden_org_names(user)
    assert_unnamed(shown_text(figures), hidden, visible)
    # Every user sees activities whose beneficiary unit is private: counted, never named.
    assert beneficiaries.get(analysis.HIDDEN, 0) > 0
    assert_tables_match(figures, ("type", "status", "donor", "beneficiary", "region"))


def test_portfolio_over_time(user: Any) -> None:
    expected: Counter[tuple[str, int]] = Counter()
    for a in seen(Activity, user):
        start = a.actual_start or a.planned_start
        for year in years(start, a.actual_end or a.planned_end or start):
            expected[(a.activity_type, year)] += 1
    over_time = figure(analysis.portfolio(user, {})["figures"], "over_time")
    assert over_time.data == expected
    assert over_time.note == ""  # every synthetic activity is dated
    # The table: one row per type, its yearly figures, and their total.
    for row in over_time.rows:
        values = [whole(cell.text) for cell in row[1:]]
        assert sum(values[:-1]) == values[-1]
    assert sorted(row[-1].text for row in over_time.rows) == sorted(
        str(sum(n for (t, _y), n in expected.items() if t == key))
        for key in {t for t, _ in expected}
    )


def test_budget_against_disbursement(user: Any) -> None:
    ids = {a.pk for a in seen(Activity, user)}
    lines = [b for b in BudgetLine.objects.all() if b.activity_id in ids]
    revised = {b.activity_id for b in lines if b.kind == BudgetKind.REVISED}
    expected: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for b in lines:
        wanted = BudgetKind.REVISED if b.activity_id in revised else BudgetKind.ORIGINAL
        if b.kind == wanted:
            expected[(b.currency, b.period_start.year, "budget")] += b.amount
    measure: dict[str, str] = {
        TransactionType.COMMITMENT: "committed",
        TransactionType.DISBURSEMENT: "disbursed",
        TransactionType.EXPENDITURE: "disbursed",
    }
    for t in Transaction.objects.filter(transaction_type__in=list(measure)):
        if t.activity_id in ids:
            expected[(t.currency, t.date.year, measure[t.transaction_type])] += t.amount
    assert expected, "the synthetic world has budgets and transactions"
    figures = analysis.portfolio(user, {})["figures"]
    found: dict[tuple[str, int, str], Decimal] = {}
    for f in figures:
        if f.key.startswith("budget-"):
            currency = f.key.removeprefix("budget-")
            found |= {(currency, y, m): v for (y, m), v in f.data.items() if v}
    assert found == dict(expected)
    # Hidden activities' money is in no figure: the whole world holds more.
    everything = sum(b.amount for b in BudgetLine.objects.all())
    assert sum(v for (_c, _y, m), v in found.items() if m == "budget") < everything


def test_timeline_of_activities_against_the_context(user: Any) -> None:
    dated = [a for a in seen(Activity, user) if a.planned_start or a.actual_start]
    dated.sort(key=lambda a: (a.planned_start or dt.date.min, a.actual_start or dt.date.min, a.pk))
    first = dated[:40]
    timeline = figure(analysis.portfolio(user, {})["figures"], "timeline")
    assert timeline.data["activities"] == [a.title for a in first]
    low = min((a.actual_start or a.planned_start).year for a in first)
    high = max(
        (a.actual_end or a.planned_end or a.actual_start or a.planned_start).year for a in first
    )
    contexts = sorted(seen(ContextEvent, user), key=lambda c: (c.start_date, c.pk))[:40]
    expected = [
        str(c)
        for c in contexts
        if c.start_date.year <= high and (c.end_date or c.start_date).year >= low
    ]
    assert timeline.data["contexts"] == expected
    hidden = [a.title for a in Activity.objects.exclude(pk__in=[a.pk for a in dated])]
    assert_unnamed(shown_text([timeline]), hidden, {a.title for a in dated})


def year_of(session: Session) -> Any:
    return session.start_date.year if session.start_date else analysis.NONE


def enrolments_of(user: Any) -> tuple[dict[int, Session], list[Enrollment]]:
    sessions = {s.pk: s for s in seen(Session, user)}
    kept = [
        e
        for e in Enrollment.objects.all()
        if e.session_id in sessions and e.status != Enrollment.Status.WITHDRAWN
    ]
    return sessions, kept


def test_training_output_by_nationality_school_course_and_year(user: Any) -> None:
    sessions, enrolments = enrolments_of(user)
    result = analysis.training(user, {})
    assert result["count"] == len(sessions)
    assert result["trainees"] == len(enrolments)
    figures = result["figures"]
    assert figure(figures, "nationality").data == Counter(
        e.nationality_id or analysis.NONE for e in enrolments
    )
    courses = {c.pk: c for c in Course.objects.all()}
    visible_courses = {c.pk for c in seen(Course, user)}
    visible_schools = {s.pk for s in seen(School, user)}
    course_of = {e.pk: sessions[e.session_id].course_id for e in enrolments}
    by_course = Counter(
        course_of[e.pk] if course_of[e.pk] in visible_courses else analysis.HIDDEN
        for e in enrolments
    )
    assert figure(figures, "course").data == by_course
    # Every school the user sees, with no trainee too; the others' trainees unnamed.
    by_school: dict[Any, int] = dict.fromkeys(visible_schools, 0)
    for e in enrolments:
        school = courses[course_of[e.pk]].school_id
        key = school if school in visible_schools else analysis.HIDDEN
        by_school[key] = by_school.get(key, 0) + 1
    assert figure(figures, "school").data == by_school
    assert figure(figures, "year").data == Counter(
        year_of(sessions[e.session_id]) for e in enrolments
    )
    hidden, visible = hidden_org_names(user)
    assert_unnamed(shown_text(figures), hidden, visible)
    # Every user sees sessions of schools not released to them: counted, never named.
    assert by_school.get(analysis.HIDDEN, 0) > 0
    assert_tables_match(figures, ("nationality", "school", "course", "year"))


def is_loac(topic: str) -> bool:
    return any(word in topic.lower() for word in LOAC)


def test_loac_coverage_of_partner_units(user: Any) -> None:
    shown = {o.pk: o for o in seen(Organization, user)}
    activities = {a.pk for a in seen(Activity, user)}
    # The partner country: the one most of the beneficiaries the user sees belong to.
    beneficiaries = {
        p.organization_id
        for p in ActivityParticipation.objects.filter(role=ParticipationRole.BENEFICIARY)
        if p.activity_id in activities and p.organization_id in shown
    }
    per_country = Counter(
        shown[o].country_id for o in beneficiaries if shown[o].country_id is not None
    )
    ranked = sorted(per_country.items(), key=lambda item: (-item[1], item[0]))
    country = ranked[0][0] if ranked else None
    kinds = {OrganizationKind.UNIT, OrganizationKind.ARMED_FORCE, OrganizationKind.DIRECTORATE}
    units = {pk for pk, o in shown.items() if o.kind in kinds and o.country_id == country}
    # Reached: a trainee in a session of a LOAC course, a participant of a LOAC event, or
    # a beneficiary of an activity a LOAC event served.
    sessions, enrolments = enrolments_of(user)
    loac_courses = {c.pk for c in seen(Course, user) if is_loac(c.topic)}
    reached = {e.unit_id for e in enrolments if sessions[e.session_id].course_id in loac_courses}
    loac_events = [e for e in seen(Event, user) if is_loac(e.topic)]
    event_ids = {e.pk for e in loac_events}
    reached |= {p.organization_id for p in Participant.objects.all() if p.event_id in event_ids}
    served = {e.activity_id for e in loac_events} & activities
    reached |= {
        p.organization_id
        for p in ActivityParticipation.objects.filter(role=ParticipationRole.BENEFICIARY)
        if p.activity_id in served
    }
    coverage = figure(analysis.training(user, {})["figures"], "loac")
    assert coverage.data["total"] == len(units)
    assert coverage.data["covered"] == len(units & reached)
    assert coverage.data["units"] == {str(shown[pk]) for pk in units}
    if user.username == "mcd-ml-synth-viewer":
        assert 0 < coverage.data["covered"] < coverage.data["total"]


def test_advisors_by_organisation_over_time(user: Any) -> None:
    shown = {o.pk for o in seen(Organization, user)}
    persons: dict[tuple[int, int], set[int]] = defaultdict(set)
    for a in seen(Assignment, user):
        for year in years(a.start_date, a.end_date):
            persons[(a.organization_id, year)].add(a.person_id)
    # Distinct persons per organisation and year; hidden organisations added up unnamed.
    expected: Counter[tuple[Any, int]] = Counter()
    for (org, year), who in persons.items():
        expected[(org if org in shown else analysis.HIDDEN, year)] += len(who)
    result = analysis.advisors(user, {})
    assert result["count"] == len(seen(Assignment, user))
    advisors = result["figures"][0]
    assert advisors.data == expected
    assert any(key == analysis.HIDDEN for key, _year in expected)
    # The chart's table: the six busiest organisations, then the rest in one row.
    totals = [whole(row[-1].text) for row in advisors.rows]
    assert sum(totals) == sum(expected.values())
    hidden, visible = hidden_org_names(user)
    assert_unnamed(shown_text([advisors]), hidden, visible)


def test_map_counts_by_region_of_mali(user: Any) -> None:
    result = analysis.map_figures(user, {})
    mali = {s.pk: s.code for s in Subdivision.objects.filter(country__alpha2="ML")}
    activities = {a.pk for a in seen(Activity, user)}
    expected_activities = counted(
        [
            (mali[p.subdivision_id], p.activity_id)
            for p in ActivityPlace.objects.all()
            if p.activity_id in activities and p.subdivision_id in mali
        ]
    )
    expected_events = Counter(
        mali[e.subdivision_id] for e in seen(Event, user) if e.subdivision_id in mali
    )
    schools: dict[int, Any] = {s.pk: s.subdivision_id for s in School.objects.all()}
    courses = {c.pk: c.school_id for c in Course.objects.all()}
    expected_sessions = Counter(
        mali[schools[courses[s.course_id]]]
        for s in seen(Session, user)
        if schools[courses[s.course_id]] in mali
    )

    def nonzero(counts: dict[str, int]) -> dict[str, int]:
        return {k: v for k, v in counts.items() if v}

    assert set(result["data"]["activities"]) == set(mali.values())
    assert nonzero(result["data"]["activities"]) == expected_activities
    assert nonzero(result["data"]["events"]) == expected_events
    assert nonzero(result["data"]["sessions"]) == expected_sessions
    if user.username == "mcd-ml-synth-viewer":
        assert expected_activities
        assert expected_sessions
    # The table: one row per region, its total the sum of the three kinds.
    per_region = {
        code: expected_activities.get(code, 0)
        + expected_events.get(code, 0)
        + expected_sessions.get(code, 0)
        for code in mali.values()
    }
    totals = sorted(whole(row[-1].text) for row in result["rows"])
    assert totals == sorted(per_region.values())
    # Records placed outside Mali are counted apart.
    elsewhere = len(
        {
            (p.subdivision_id, p.activity_id)
            for p in ActivityPlace.objects.exclude(subdivision_id__in=list(mali))
            if p.activity_id in activities and p.subdivision_id is not None
        }
    )
    elsewhere += sum(
        1 for e in seen(Event, user) if e.subdivision_id and e.subdivision_id not in mali
    )
    elsewhere += sum(
        1
        for s in seen(Session, user)
        if schools[courses[s.course_id]] and schools[courses[s.course_id]] not in mali
    )
    assert result["elsewhere"] == elsewhere


def test_an_activity_with_two_unreleased_beneficiaries_counts_once() -> None:
    """The "(not released to you)" row counts activities, as every other row does: one
    activity with two private beneficiaries is one activity, not two."""
    viewer = factories.user()
    factories.membership(user=viewer, workspace=factories.owner_workspace(), role=Role.VIEWER)
    elsewhere = factories.workspace()
    activity = factories.activity()
    for name in ("Unité discrète A", "Unité discrète B"):
        unit = factories.organization(owner=elsewhere, name_fr=name)
        factories.activity_participation(activity=activity, organization=unit, role="beneficiary")
    mine = Activity.objects.visible_to(viewer).filter(pk=activity.pk)
    beneficiaries = figure(analysis.portfolio(viewer, {}, mine)["figures"], "beneficiary")
    assert beneficiaries.data == {analysis.HIDDEN: 1}
    assert "Unité discrète" not in shown_text([beneficiaries])


def test_figures_follow_the_filters_of_the_lists(user: Any) -> None:
    """The figures of one status only, and the trainees of one year only: the query string
    of the lists narrows the charts the same way."""
    status = ActivityStatus.IMPLEMENTATION
    activities = [a for a in seen(Activity, user) if a.status == status]
    assert activities
    figures = analysis.portfolio(user, {"status": status})["figures"]
    assert figure(figures, "status").data == ({status: len(activities)} if activities else {})
    assert figure(figures, "type").data == Counter(a.activity_type for a in activities)
    client = Client()
    client.force_login(user)
    listed = client.get(reverse("activities:activity_list"), {"status": status})
    assert listed.context["table"].paginator.count == len(activities)
    sessions, enrolments = enrolments_of(user)
    year = max(y for y in map(year_of, sessions.values()) if y != analysis.NONE)
    narrowed = analysis.training(user, {"dates_after": f"{year}-01-01"})
    # Sessions under way in or after that year: those that start then, or end then.
    kept = {
        pk
        for pk, s in sessions.items()
        if s.start_date and (s.end_date or s.start_date).year >= year
    }
    assert narrowed["trainees"] == sum(1 for e in enrolments if e.session_id in kept)
    assert narrowed["trainees"] > 0
    if len({year_of(s) for s in sessions.values()}) > 1:  # sessions of earlier years left out
        assert narrowed["trainees"] < len(enrolments)
