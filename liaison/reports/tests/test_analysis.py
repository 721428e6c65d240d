"""The figures of every chart, checked against the database by plain counting here
(not by the code that draws them), on the demo and on records made for the purpose;
and what a user of another workspace sees of them: nothing hidden."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from pytest_django import DjangoDbBlocker

from liaison.activities.models import Activity, ActivityParticipation, ActivityPlace
from liaison.core.choices import Release, Role
from liaison.core.models import Workspace
from liaison.demo.loader import load_demo
from liaison.events.models import ContextEvent, Event
from liaison.partners.models import Organization
from liaison.reports import analysis
from liaison.reports.tests.needs_pdf import needs_pdf
from liaison.training.models import School
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo, loaded once for the module; rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def demo_user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def outsider() -> Any:
    user = factories.user()
    factories.membership(user=user, workspace=factories.workspace(), role=Role.EDITOR)
    return user


def seen(model: type[Any], user: Any) -> list[Any]:
    return list(model.objects.visible_to(user))


def counted(pairs: list[tuple[Any, Any]]) -> dict[Any, int]:
    """{key: number of distinct items} from (key, item) pairs."""
    items: dict[Any, set[Any]] = defaultdict(set)
    for key, item in pairs:
        items[key].add(item)
    return {key: len(found) for key, found in items.items()}


def figure(figures: list[analysis.Figure], key: str) -> analysis.Figure:
    return next(f for f in figures if f.key == key)


@pytest.mark.parametrize("username", ["fr-viewer", "us-viewer"])
def test_portfolio_figures_match_the_demo(demo: None, username: str) -> None:
    user = demo_user(username)
    activities = seen(Activity, user)
    ids = {a.pk for a in activities}
    figures = analysis.portfolio(user, {})["figures"]
    assert figure(figures, "type").data == Counter(a.activity_type for a in activities)
    assert figure(figures, "status").data == Counter(a.status for a in activities)
    links = [p for p in ActivityParticipation.objects.all() if p.activity_id in ids]
    shown = {o.pk for o in seen(Organization, user)}

    def by_org(roles: set[str]) -> dict[Any, int]:
        pairs = [
            (p.organization_id if p.organization_id in shown else analysis.HIDDEN, p.activity_id)
            for p in links
            if p.role in roles
        ]
        return counted(pairs)

    assert figure(figures, "donor").data == by_org({"funding", "extending"})
    assert figure(figures, "beneficiary").data == by_org({"beneficiary"})
    places = [p for p in ActivityPlace.objects.all() if p.activity_id in ids]
    assert figure(figures, "region").data == counted(
        [(p.subdivision_id or analysis.NONE, p.activity_id) for p in places]
    )
    # The demo's activities carry no day, only the period of their source: the French
    # page's under way in 2016, the US training in February 2025; none left undated.
    expected: dict[tuple[str, int], int] = Counter()
    for a in activities:
        expected[(a.activity_type, int(a.period[:4]))] += 1
    assert figure(figures, "over_time").data == expected
    assert figure(figures, "over_time").note == ""


def test_the_demo_shares_and_withholds_as_released(demo: None) -> None:
    french = analysis.portfolio(demo_user("fr-viewer"), {})["count"]
    american = analysis.portfolio(demo_user("us-viewer"), {})["count"]
    private = Activity.objects.filter(release=Release.PRIVATE).count()
    assert private >= 1
    assert french == Activity.objects.count()  # its own, and the US one released to it
    assert american == Activity.objects.count() - private
    nobody = outsider()
    assert analysis.portfolio(nobody, {})["count"] == 0
    assert all(not f.data or f.key == "timeline" for f in analysis.portfolio(nobody, {})["figures"])
    assert analysis.map_figures(nobody, {})["data"]["activities"]["ML-BKO"] == 0


def test_training_figures_include_the_envr_and_the_peacekeeping_school(demo: None) -> None:
    user = demo_user("fr-viewer")
    figures = analysis.training(user, {})["figures"]
    schools = figure(figures, "school")
    visible_schools = {s.pk: str(s.organization) for s in seen(School, user)}
    # Every school the user sees, even with no trainee yet: the demo has no enrolment.
    assert schools.data == dict.fromkeys(visible_schools, 0)
    names = " ".join(row[0].text for row in schools.rows)
    assert "EMP" in names
    assert "ENVR" in names
    assert figure(figures, "nationality").data == {}


def test_loac_coverage_matches_the_demo(demo: None) -> None:
    user = demo_user("us-viewer")
    coverage = figure(analysis.training(user, {})["figures"], "loac")
    mali_units = [
        o
        for o in seen(Organization, user)
        if o.country_id and o.country.alpha2 == "ML" and o.kind in analysis.UNIT_KINDS
    ]
    loac_events = [e for e in seen(Event, user) if "conflits armés" in e.topic.lower()]
    served = {e.activity_id for e in loac_events}
    reached = {
        p.organization_id
        for p in ActivityParticipation.objects.all()
        if p.activity_id in served and p.role == "beneficiary"
    }
    assert coverage.data["total"] == len(mali_units)
    assert coverage.data["covered"] == len([o for o in mali_units if o.pk in reached])
    assert coverage.data["covered"] == 2  # the military justice directorate and the FAMa


def test_map_counts_match_the_demo(demo: None) -> None:
    user = demo_user("fr-viewer")
    result = analysis.map_figures(user, {})
    ids = {a.pk for a in seen(Activity, user)}
    expected = counted(
        [
            (p.subdivision.code, p.activity_id)
            for p in ActivityPlace.objects.select_related("subdivision")
            if p.activity_id in ids and p.subdivision is not None
        ]
    )
    assert {k: v for k, v in result["data"]["activities"].items() if v} == expected
    assert expected == {"ML-BKO": 2}
    # Clicking a region leads to the lists filtered by it.
    bamako = next(row for row in result["rows"] if row[0].text.startswith("Bamako"))
    assert "region=" in bamako[1].url
    # The newer regions are listed, and said not to be drawn.
    assert any("Ménaka" in row[0].text and "Gao" in row[0].text for row in result["rows"])
    assert "ML-BKO" in result["svg"]


def test_timeline_shows_the_dated_context(demo: None) -> None:
    user = demo_user("us-viewer")
    timeline = figure(analysis.portfolio(user, {})["figures"], "timeline")
    dated = [c for c in seen(ContextEvent, user) if c.start_date or c.period]
    assert sorted(timeline.data["contexts"]) == sorted(str(c) for c in dated)
    # The activities known by their period are drawn over it (and listed as the period).
    assert sorted(timeline.data["activities"]) == sorted(
        a.title for a in seen(Activity, user) if a.period
    )
    titles = set(timeline.data["activities"])
    periods = {row[2].text for row in timeline.rows if row[1].text in titles}
    assert periods == {"2016", "février 2025"}  # no invented day


# --- Records made for the purpose: money, trainees, advisors ---------------------------


@pytest.fixture
def officer() -> Any:
    user = factories.user()
    factories.membership(user=user, workspace=factories.owner_workspace(), role=Role.VIEWER)
    return user


def test_budget_against_disbursement_per_year_and_currency(officer: Any) -> None:
    first = factories.activity(planned_start=dt.date(2023, 1, 1), planned_end=dt.date(2024, 6, 1))
    second = factories.activity(planned_start=dt.date(2024, 1, 1))
    hidden = factories.activity(owner=factories.workspace())
    for kind, amount in (("original", "100"), ("revised", "150")):
        factories.budget_line(
            activity=first, kind=kind, amount=Decimal(amount),
            period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
        )  # fmt: skip
    factories.budget_line(
        activity=second, amount=Decimal("40"), currency="USD",
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
    )  # fmt: skip
    factories.budget_line(
        activity=hidden, amount=Decimal("999"),
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
    )  # fmt: skip
    factories.transaction(activity=first, transaction_type="disbursement",
                          amount=Decimal("60"), date=dt.date(2024, 3, 1))  # fmt: skip
    factories.transaction(activity=first, transaction_type="expenditure",
                          amount=Decimal("5"), date=dt.date(2024, 4, 1))  # fmt: skip
    factories.transaction(activity=hidden, transaction_type="disbursement",
                          amount=Decimal("500"), date=dt.date(2024, 3, 1))  # fmt: skip
    figures = analysis.portfolio(officer, {})["figures"]
    euros = figure(figures, "budget-EUR").data
    assert euros[(2024, "budget")] == Decimal("150")  # revised replaces original
    assert euros[(2024, "disbursed")] == Decimal("65")
    assert figure(figures, "budget-USD").data[(2024, "budget")] == Decimal("40")
    over_time = figure(figures, "over_time").data
    assert over_time[(first.activity_type, 2023)] == 1
    assert over_time[(first.activity_type, 2024)] == 2


def test_trainees_by_nationality_course_and_year(officer: Any) -> None:
    session = factories.session(start_date=dt.date(2024, 5, 1))
    other = factories.session(start_date=dt.date(2025, 5, 1))
    mali, senegal = factories.country("ML"), factories.country("SN")
    for nationality, s in ((mali, session), (mali, session), (senegal, other), (None, other)):
        factories.enrollment(session=s, nationality=nationality)
    factories.enrollment(session=session, nationality=mali, status="withdrawn")
    hidden = factories.session(owner=factories.workspace(), start_date=dt.date(2024, 1, 1))
    factories.enrollment(session=hidden, nationality=mali)
    figures = analysis.training(officer, {})["figures"]
    assert figure(figures, "nationality").data == {mali.pk: 2, senegal.pk: 1, analysis.NONE: 1}
    assert figure(figures, "year").data == {2024: 2, 2025: 2}
    courses = figure(figures, "course").data
    assert sum(courses.values()) == 4
    # The filters of the sessions list apply: one year only.
    narrowed = analysis.training(officer, {"dates_after": "2025-01-01"})["figures"]
    assert figure(narrowed, "year").data == {2025: 2}


def test_advisors_by_organisation_and_year(officer: Any) -> None:
    host = factories.organization(name_fr="État-major")
    person = factories.person()
    factories.assignment(organization=host, person=person, role="Conseiller",
                         start_date=dt.date(2023, 9, 1), end_date=dt.date(2025, 8, 31))  # fmt: skip
    factories.assignment(organization=host, role="Instructeur",
                         start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30))  # fmt: skip
    factories.assignment(owner=factories.workspace(), organization=host, role="Caché",
                         start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30))  # fmt: skip
    data = analysis.advisors(officer, {})["figures"][0].data
    assert data == {(host.pk, 2023): 1, (host.pk, 2024): 2, (host.pk, 2025): 1}


def test_hidden_donor_is_counted_but_not_named(officer: Any) -> None:
    secret = factories.organization(owner=factories.workspace(), name_fr="Bailleur discret")
    activity = factories.activity()
    factories.activity_participation(activity=activity, organization=secret, role="funding")
    donors = figure(analysis.portfolio(officer, {})["figures"], "donor")
    assert donors.data == {analysis.HIDDEN: 1}
    assert "Bailleur discret" not in str(donors.chart)
    assert all("Bailleur discret" not in cell.text for row in donors.rows for cell in row)


def test_pages_render_in_both_languages(officer: Any) -> None:
    factories.activity(title="Appui logistique", planned_start=dt.date(2024, 1, 1))
    client = Client()
    client.force_login(officer)
    for path in ("/analysis/", "/analysis/training/", "/analysis/advisors/", "/map/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200, path
        if path in ("/analysis/", "/map/"):
            assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart' in page.content.decode()
    page = client.get("/analysis/", {"activity_type": "training"})
    assert page.context["count"] == 0
    assert "activity_type=training" in page.context["list_url"]
    selected = client.get("/map/", {"selected": "ML-BKO"})
    assert selected.context["panel"]["name"].startswith("Bamako")


def test_map_counts_one_year_through_each_list_filter(officer: Any) -> None:
    mopti = factories.subdivision("ML-5")
    factories.event(subdivision=mopti, start_date=dt.date(2024, 3, 1))
    factories.event(subdivision=mopti, start_date=dt.date(2025, 3, 1))
    factories.event(subdivision=mopti, owner=factories.workspace(), start_date=dt.date(2025, 1, 1))
    client = Client()
    client.force_login(officer)
    everything = client.get("/map/").context
    assert everything["data"]["events"]["ML-5"] == 2
    one_year = client.get("/map/", {"year": "2025"}).context
    assert one_year["data"]["events"]["ML-5"] == 1
    mopti_row = next(row for row in one_year["rows"] if row[0].text == "Mopti")
    listed = client.get(mopti_row[2].url)  # the events list, filtered by region and year
    assert listed.context["table"].paginator.count == 1


def test_session_list_filters_by_region(officer: Any) -> None:
    bamako = factories.subdivision("ML-BKO")
    school = factories.school(subdivision=bamako)
    course = factories.course(school=school)
    inside = factories.session(course=course)
    factories.session()
    client = Client()
    client.force_login(officer)
    listed = client.get("/sessions/", {"region": bamako.pk})
    assert [row.pk for row in listed.context["table"].data] == [inside.pk]


def test_workspace_of_a_report_reader_is_rolled_back() -> None:
    from liaison.reports.pdf import workspace_view

    workspace = factories.owner_workspace()
    users = get_user_model().objects.count()
    with workspace_view(workspace) as reader:
        assert list(Workspace.objects.filter(memberships__user=reader)) == [workspace]
    assert get_user_model().objects.count() == users


# --- The PDF report -------------------------------------------------------------------


def pdf_text(path: Any) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@needs_pdf
@pytest.mark.parametrize(
    ("lang", "sections"),
    [
        ("fr", ["Rapport d'activité 2025", "Résumé", "Portefeuille", "Formation", "Conseillers",
                "Carte", "Actions de coopération", "Événements", "Sources", "Ménaka"]),
        ("en", ["Activity report 2025", "Summary", "Portfolio", "Training", "Advisors", "Map",
                "Activities", "Events", "Sources", "Ménaka"]),
    ],
)  # fmt: skip
def test_the_report_command_writes_a_pdf_with_its_sections(
    demo: None, tmp_path: Any, lang: str, sections: list[str]
) -> None:
    from django.core.management import call_command

    out = tmp_path / f"report-{lang}.pdf"
    call_command("report", workspace="osc-mali", year=2025, lang=lang, out=str(out))
    text = " ".join(pdf_text(out).split())
    for section in sections:
        assert section in text, section
    assert "Formation en droit militaire" in text  # the event of February 2025
    assert "Natural Earth" in text
    # The US office's report shows none of the French mission's private records.
    private = Activity.objects.get(release=Release.PRIVATE)
    assert private.title not in text


def test_the_report_as_a_user_needs_a_member(demo: None, tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("report", workspace="mcd-mali", year=2016, lang="fr",
                     out=str(tmp_path / "x.pdf"), user="us-viewer")  # fmt: skip
    assert not (tmp_path / "x.pdf").exists()


@needs_pdf
def test_the_report_button_downloads_the_pdf(demo: None) -> None:
    client = Client()
    client.force_login(demo_user("fr-viewer"))
    page = client.get("/analysis/")
    assert 'action="/report/"' in page.content.decode()
    started = client.post("/report/", {"year": "2016"}, follow=True)
    run = started.context["run"]
    assert run.status == "done", run.message
    response = client.get(run.result["url"])
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # The file is its requester's only, not even another member's of the workspace.
    other = Client()
    other.force_login(demo_user("fr-editor"))
    assert other.get(run.result["url"]).status_code == 404
