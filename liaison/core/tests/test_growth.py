"""Cost that does not grow with the data (issue 23): list text filters read the search
index's ids once and find exactly what the user may read; analysis figures are summed by
the database; the pages' query counts stay the same as the data grows."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.activities.models import Assignment
from liaison.core import filtersets
from liaison.core.choices import Release, Role
from liaison.core.querysets import visible
from liaison.core.search import REGISTRY
from liaison.core.tests.pages import assert_constant_queries_for, client_for, member
from liaison.core.text import fold
from liaison.core.withholding import mark
from liaison.demo.synth import synthesize
from liaison.partners.models import Position
from liaison.reports import analysis
from liaison.training.models import Session
from tests import factories as f

pytestmark = pytest.mark.django_db

TINY = 0.0005


def as_read(model: type[Any], user: Any, query: str) -> set[int]:
    """What the filter must find: the records the user sees whose text, as the user reads
    it (hidden links withheld), holds every word of `query`, checked record by record."""
    words = fold(query).split()
    records = list(visible(model, user))
    mark(records, user)
    index = REGISTRY[model]
    return {r.pk for r in records if all(w in index.text_of(r) for w in words)}


def listed(client: Any, url: str, query: str) -> set[int]:
    rows = client.get(url, {"q": query}).context["table"].data
    return {r.pk for r in rows}


def api_listed(client: Any, url: str, query: str) -> set[int]:
    answer = client.get(url, {"q": query, "page_size": 1000}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    return {row["id"] for row in answer.json()["results"]}


def test_text_filters_find_what_the_user_reads_through_linked_names() -> None:
    owner = f.owner_workspace()
    other = f.workspace()
    insider = member(Role.VIEWER, owner)
    outsider = member(Role.VIEWER, other)
    hidden = f.person(owner=owner, full_name="Aminata Haïdara", release=Release.PRIVATE)
    shown = f.person(owner=owner, full_name="Awa Maïga", release=Release.OPEN)
    org = f.organization(owner=owner, name_fr="Direction de la Sécurité", release=Release.OPEN)
    secret_org = f.organization(owner=owner, name_fr="Cellule Manga", release=Release.PRIVATE)
    by_hidden = f.position(owner=owner, person=hidden, organization=org, release=Release.OPEN)
    by_shown = f.position(owner=owner, person=shown, organization=org, release=Release.OPEN)
    titled = f.position(
        owner=owner,
        person=hidden,
        organization=secret_org,
        title_fr="Chef de la sécurité",
        release=Release.OPEN,
    )
    f.assignment(owner=owner, person=hidden, organization=org, release=Release.OPEN)
    f.assignment(owner=owner, person=shown, organization=secret_org, release=Release.OPEN)
    queries = ["haidara", "HAÏDARA", "maiga", "ma", "sécu", "manga", "aminata securite", "a"]
    for user in (insider, outsider):
        client = client_for(user)
        for query in queries:
            for model, page, api in (
                (Position, "/positions/", "/api/positions/"),
                (Assignment, "/assignments/", "/api/assignments/"),
            ):
                expected = as_read(model, user, query)
                assert listed(client, page, query) == expected, (user, page, query)
                assert api_listed(client, api, query) == expected, (user, api, query)
    # What the filters find, spelled out: the outsider reads neither the hidden person's
    # name nor the private organisation's.
    client = client_for(outsider)
    assert listed(client, "/positions/", "haidara") == set()
    assert listed(client, "/positions/", "maiga") == {by_shown.pk}
    assert listed(client, "/positions/", "securite") == {by_hidden.pk, by_shown.pk, titled.pk}
    assert listed(client, "/positions/", "manga") == set()
    insider_client = client_for(insider)
    assert listed(insider_client, "/positions/", "haidara") == {by_hidden.pk, titled.pk}
    assert listed(insider_client, "/positions/", "manga") == {titled.pk}


def test_text_filter_pages_and_analysis_cost_the_same_queries_as_data_grows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every record choice a picker, as at scale (a list that grows past LONG_CHOICES
    # turns into one, and then costs one query less).
    monkeypatch.setattr(filtersets, "LONG_CHOICES", 0)
    workspace = f.workspace(slug="mcd-ml-synth", name="Mission (synth)")
    viewer = member(Role.VIEWER, workspace)

    def add_rows(n: int) -> None:
        synthesize(TINY * n / 3, n, lambda line: None)

    def urls() -> list[str]:
        return [
            "/positions/?q=a",
            "/api/positions/?q=a",
            "/assignments/?q=a",
            "/api/assignments/?q=a",
            "/sessions/?q=a",
            "/sessions/",
            "/analysis/",
            "/analysis/training/",
            "/analysis/advisors/",
        ]

    assert_constant_queries_for(client_for(viewer), urls, add_rows)


def test_activities_over_time_and_budgets_as_counted_record_by_record() -> None:
    """The figures the database sums are those a reading of every activity gives."""
    workspace = f.workspace(slug="mcd-ml-synth", name="Mission (synth)")
    viewer = member(Role.VIEWER, workspace)
    synthesize(TINY, 3, lambda line: None)
    activities = visible(analysis.Activity, viewer)
    figure = analysis.over_time(activities)
    per_year: dict[tuple[Any, int], int] = {}
    until = analysis.timezone.localdate().year
    for a in activities:
        start, end = analysis.activity_span(a)
        for year in analysis.years_active(start, end, until):
            per_year[(a.activity_type, year)] = per_year.get((a.activity_type, year), 0) + 1
    assert figure.data == per_year
    assert per_year
    budget: dict[tuple[str, int, str], Any] = {}
    for a in activities:
        lines = list(a.budget_lines.all())
        kind = "revised" if any(line.kind == "revised" for line in lines) else "original"
        for line in lines:
            if line.kind == kind:
                key = (line.currency, line.period_start.year, "budget")
                budget[key] = budget.get(key, 0) + line.amount
    totals = analysis.budget_totals(activities)
    assert {k: v for k, v in totals.items() if k[2] == "budget"} == budget
    assert budget
    assert Session.objects.exists()


def test_long_filter_choices_render_only_the_chosen_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past LONG_CHOICES, a filter's records are searched as the user types: the page
    lists none of them but the chosen one, and the filter still works."""
    viewer = member(Role.VIEWER)
    people = [f.person(full_name=f"Conseiller {n}") for n in range(4)]
    for person in people:
        f.assignment(person=person)
    client = client_for(viewer)

    def offered(page: str) -> set[int]:
        form = page[page.index('name="person"') :]
        form = form[: form.index("</select>")]
        return {p.pk for p in people if f'value="{p.pk}"' in form}

    page = client.get("/assignments/").content.decode()
    assert offered(page) == {p.pk for p in people}  # a short list: every choice
    monkeypatch.setattr(filtersets, "LONG_CHOICES", 3)
    answer = client.get("/assignments/", {"person": people[0].pk})
    page = answer.content.decode()
    assert "data-picker" in page
    assert offered(page) == {people[0].pk}
    assert {r.person_id for r in answer.context["table"].data} == {people[0].pk}
