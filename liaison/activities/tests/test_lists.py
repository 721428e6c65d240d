"""List pages: rows a member sees, every filter, sorting, exports and query counts."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from liaison.activities.models import Activity, Agreement, Assignment, Request
from liaison.core.choices import Release
from tests import factories as f

from .conftest import Mission, listed_pks, query_count

pytestmark = pytest.mark.django_db

D = datetime.date

LISTS = [
    ("activities:activity_list", f.activity),
    ("activities:agreement_list", f.agreement),
    ("activities:request_list", f.request),
    ("activities:assignment_list", f.assignment),
]


@pytest.mark.parametrize(("url_name", "make"), LISTS)
def test_a_member_sees_the_rows_of_the_workspace_and_the_open_ones(
    mission: Mission, other_mission: Mission, url_name: str, make: Callable[..., Any]
) -> None:
    mine = make(owner=mission.workspace)
    open_elsewhere = make(owner=other_mission.workspace, release=Release.OPEN)
    private_elsewhere = make(owner=other_mission.workspace)
    response = mission.client("viewer").get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert mine.get_absolute_url() in content
    assert open_elsewhere.get_absolute_url() in content
    assert private_elsewhere.get_absolute_url() not in content
    assert {r.pk for r in response.context["table"].data} == {mine.pk, open_elsewhere.pk}


# --- activity filters ------------------------------------------------------------------


@pytest.fixture
def activities(mission: Mission, other_mission: Mission) -> dict[str, Any]:
    ws = mission.workspace
    w: dict[str, Any] = {
        "donor": f.organization(owner=ws, name_fr="Direction de la coopération"),
        "donor2": f.organization(owner=ws, name_fr="Agence"),
        "implementer": f.organization(owner=ws, name_fr="Mission de coopération"),
        "beneficiary": f.organization(owner=ws, name_fr="Garde nationale"),
        "beneficiary2": f.organization(owner=ws, name_fr="Brigade"),
        "agreement": f.agreement(owner=ws),
        "marking": f.marking(),
        "programme": f.activity(owner=ws, title="Programme cadre", status="pipeline"),
    }
    a1 = f.activity(
        owner=ws,
        title="Formation des officiers à Bamako",
        activity_type="training",
        status="implementation",
        planned_start=D(2024, 1, 1),
        planned_end=D(2024, 3, 31),
        actual_start=D(2024, 2, 1),
        actual_end=D(2024, 2, 10),
        agreement=w["agreement"],
        parent=w["programme"],
    )
    f.activity_participation(activity=a1, organization=w["donor"], role="funding")
    f.activity_participation(activity=a1, organization=w["implementer"], role="implementing")
    f.activity_participation(activity=a1, organization=w["beneficiary"], role="beneficiary")
    f.activity_place(activity=a1, country=f.country("ML"), subdivision=f.subdivision("ML-BKO"))
    a2 = f.activity(
        owner=ws,
        title="Fourniture de véhicules",
        activity_type="equipment",
        status="closed",
        planned_start=D(2023, 1, 1),
        planned_end=D(2023, 6, 30),
        release=Release.OPEN,
        marking=w["marking"],
    )
    f.activity_participation(activity=a2, organization=w["donor2"], role="extending")
    f.activity_participation(activity=a2, organization=w["beneficiary2"], role="beneficiary")
    f.activity_place(activity=a2, country=f.country("FR"))
    # The first donor is only implementing here: not a donor of this activity.
    a3 = f.activity(owner=ws, title="Conseil en organisation", activity_type="advisory")
    f.activity_participation(activity=a3, organization=w["donor"], role="implementing")
    # Another mission's private activity never shows, whatever the filter.
    hidden = f.activity(owner=other_mission.workspace, activity_type="training")
    f.activity_participation(activity=hidden, organization=w["donor"], role="funding")
    w.update(a1=a1, a2=a2, a3=a3)
    return w


ACTIVITY_FILTERS: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]], set[str]]] = [
    ("search", lambda w: {"q": "bamako"}, {"a1"}),
    ("type", lambda w: {"activity_type": "training"}, {"a1"}),
    ("types", lambda w: {"activity_type": ["training", "equipment"]}, {"a1", "a2"}),
    ("status", lambda w: {"status": "closed"}, {"a2"}),
    ("donor by funding", lambda w: {"donor": w["donor"].pk}, {"a1"}),
    ("donor by extending", lambda w: {"donor": w["donor2"].pk}, {"a2"}),
    ("implementing", lambda w: {"implementing": w["donor"].pk}, {"a3"}),
    ("beneficiary", lambda w: {"beneficiary": w["beneficiary2"].pk}, {"a2"}),
    ("country", lambda w: {"country": f.country("FR").pk}, {"a2"}),
    ("region", lambda w: {"region": f.subdivision("ML-BKO").pk}, {"a1"}),
    ("planned after", lambda w: {"planned_after": "2024-02-01"}, {"a1"}),
    ("planned before", lambda w: {"planned_before": "2023-12-31"}, {"a2"}),
    (
        "planned between",
        lambda w: {"planned_after": "2023-06-01", "planned_before": "2024-01-15"},
        {"a1", "a2"},
    ),
    ("carried out", lambda w: {"actual_after": "2024-02-05"}, {"a1"}),
    ("agreement", lambda w: {"agreement": w["agreement"].pk}, {"a1"}),
    ("parent", lambda w: {"parent": w["programme"].pk}, {"a1"}),
    ("release", lambda w: {"release": "open"}, {"a2"}),
    ("marking", lambda w: {"marking": w["marking"].pk}, {"a2"}),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [pytest.param(p, e, id=name) for name, p, e in ACTIVITY_FILTERS],
)
def test_each_activity_filter_narrows_the_list(
    mission: Mission,
    activities: dict[str, Any],
    params: Callable[[dict[str, Any]], dict[str, Any]],
    expected: set[str],
) -> None:
    client = mission.client("viewer")
    url = reverse("activities:activity_list")
    everything = listed_pks(client, url)
    assert everything == {activities[k].pk for k in ("a1", "a2", "a3", "programme")}
    assert listed_pks(client, url, **params(activities)) == {activities[k].pk for k in expected}


def test_the_donor_choices_are_the_donors_the_user_sees(
    mission: Mission, activities: dict[str, Any]
) -> None:
    response = mission.client("viewer").get(reverse("activities:activity_list"))
    donors = set(response.context["filter"].form.fields["donor"].queryset)
    assert donors == {activities["donor"], activities["donor2"]}


# --- request, assignment and agreement filters ---------------------------------------


@pytest.fixture
def requests_world(mission: Mission, other_mission: Mission) -> dict[str, Any]:
    ws = mission.workspace
    o1, o2 = f.organization(owner=ws), f.organization(owner=ws)
    r1 = f.request(owner=ws, urgency="short_notice", requester=o1, received_on=D(2024, 1, 10))
    r2 = f.request(
        owner=ws, urgency="normal", status="under_study", requester=o2, received_on=D(2024, 3, 10)
    )
    r2.answered_by.add(f.activity(owner=ws))
    r3 = f.request(owner=ws, urgency="low", status="answered", received_on=D(2023, 12, 1))
    # Answered by an activity this user may not see: not answered, for them.
    r4 = f.request(owner=ws, received_on=D(2022, 5, 1))
    r4.answered_by.add(f.activity(owner=other_mission.workspace))
    return {"o1": o1, "r1": r1, "r2": r2, "r3": r3, "r4": r4}


REQUEST_FILTERS: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]], set[str]]] = [
    ("urgency", lambda w: {"urgency": "short_notice"}, {"r1"}),
    ("status", lambda w: {"status": "under_study"}, {"r2"}),
    ("requester", lambda w: {"requester": w["o1"].pk}, {"r1"}),
    ("received after", lambda w: {"received_on_after": "2024-01-01"}, {"r1", "r2"}),
    ("received before", lambda w: {"received_on_before": "2023-12-31"}, {"r3", "r4"}),
    ("answered", lambda w: {"answered": "true"}, {"r2", "r3"}),
    ("not answered", lambda w: {"answered": "false"}, {"r1", "r4"}),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [pytest.param(p, e, id=name) for name, p, e in REQUEST_FILTERS],
)
def test_each_request_filter_narrows_the_list(
    mission: Mission,
    requests_world: dict[str, Any],
    params: Callable[[dict[str, Any]], dict[str, Any]],
    expected: set[str],
) -> None:
    client = mission.client("viewer")
    url = reverse("activities:request_list")
    assert len(listed_pks(client, url)) == 4
    assert listed_pks(client, url, **params(requests_world)) == {
        requests_world[k].pk for k in expected
    }


@pytest.fixture
def assignments(mission: Mission) -> dict[str, Any]:
    ws = mission.workspace
    p1, p2 = f.person(owner=ws), f.person(owner=ws)
    h1, h2, s1 = (f.organization(owner=ws) for _ in range(3))
    activity = f.activity(owner=ws)
    s = {
        "s1": f.assignment(
            owner=ws,
            person=p1,
            organization=h1,
            sending_organization=s1,
            activity=activity,
            start_date=D(2023, 9, 1),
            end_date=D(2024, 8, 31),
        ),
        "s2": f.assignment(owner=ws, person=p2, organization=h2, start_date=D(2024, 9, 1)),
        "s3": f.assignment(
            owner=ws,
            person=p1,
            organization=h2,
            start_date=D(2022, 1, 1),
            end_date=D(2022, 12, 31),
        ),
    }
    return {**s, "p1": p1, "h2": h2, "sender": s1, "activity": activity}


ASSIGNMENT_FILTERS: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]], set[str]]] = [
    ("person", lambda w: {"person": w["p1"].pk}, {"s1", "s3"}),
    ("host", lambda w: {"organization": w["h2"].pk}, {"s2", "s3"}),
    ("sender", lambda w: {"sending_organization": w["sender"].pk}, {"s1"}),
    ("activity", lambda w: {"activity": w["activity"].pk}, {"s1"}),
    ("posted after", lambda w: {"dates_after": "2024-06-01"}, {"s1", "s2"}),
    ("posted before", lambda w: {"dates_before": "2022-06-30"}, {"s3"}),
    ("ending before", lambda w: {"ending_before": "2024-01-01"}, {"s3"}),
    ("search", lambda w: {"q": w["p1"].full_name}, {"s1", "s3"}),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [pytest.param(p, e, id=name) for name, p, e in ASSIGNMENT_FILTERS],
)
def test_each_assignment_filter_narrows_the_list(
    mission: Mission,
    assignments: dict[str, Any],
    params: Callable[[dict[str, Any]], dict[str, Any]],
    expected: set[str],
) -> None:
    client = mission.client("viewer")
    url = reverse("activities:assignment_list")
    assert len(listed_pks(client, url)) == 3
    assert listed_pks(client, url, **params(assignments)) == {assignments[k].pk for k in expected}


@pytest.fixture
def agreements(mission: Mission) -> dict[str, Any]:
    ws = mission.workspace
    o1, o2 = f.organization(owner=ws), f.organization(owner=ws)
    g1 = f.agreement(
        owner=ws,
        title="Convention de 2015",
        signed_on=D(2015, 3, 1),
        valid_from=D(2015, 3, 1),
        valid_until=D(2020, 12, 31),
    )
    g1.parties.set([o1, o2])
    g2 = f.agreement(owner=ws, signed_on=D(2022, 6, 1))
    g2.parties.set([o2])
    g3 = f.agreement(owner=ws)
    return {"o1": o1, "o2": o2, "g1": g1, "g2": g2, "g3": g3}


AGREEMENT_FILTERS: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]], set[str]]] = [
    ("party", lambda w: {"party": w["o1"].pk}, {"g1"}),
    ("parties", lambda w: {"party": w["o2"].pk}, {"g1", "g2"}),
    ("signed after", lambda w: {"signed_on_after": "2020-01-01"}, {"g2"}),
    ("signed before", lambda w: {"signed_on_before": "2020-01-01"}, {"g1"}),
    ("in force", lambda w: {"in_force_on": "2018-01-01"}, {"g1"}),
    ("in force since signed", lambda w: {"in_force_on": "2023-01-01"}, {"g2"}),
    ("search", lambda w: {"q": "convention 2015"}, {"g1"}),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [pytest.param(p, e, id=name) for name, p, e in AGREEMENT_FILTERS],
)
def test_each_agreement_filter_narrows_the_list(
    mission: Mission,
    agreements: dict[str, Any],
    params: Callable[[dict[str, Any]], dict[str, Any]],
    expected: set[str],
) -> None:
    client = mission.client("viewer")
    url = reverse("activities:agreement_list")
    assert len(listed_pks(client, url)) == 3
    assert listed_pks(client, url, **params(agreements)) == {agreements[k].pk for k in expected}


def _streamed(response: Any) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


# --- sorting -----------------------------------------------------------------------


def _page_titles(client: Client, url: str, **params: Any) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return [str(row.record) for row in response.context["table"].paginated_rows]


def test_activities_sort_by_any_column(mission: Mission) -> None:
    for title, start in (("Bravo", D(2024, 1, 1)), ("Alpha", D(2025, 1, 1)), ("Charlie", None)):
        f.activity(owner=mission.workspace, title=title, planned_start=start)
    client, url = mission.client("viewer"), reverse("activities:activity_list")
    assert _page_titles(client, url, sort="title") == ["Alpha", "Bravo", "Charlie"]
    assert _page_titles(client, url, sort="-title") == ["Charlie", "Bravo", "Alpha"]
    by_start = _page_titles(client, url, sort="planned_start")
    assert [t for t in by_start if t != "Charlie"] == ["Bravo", "Alpha"]


def test_the_person_filter_offers_the_posted_persons_by_name(
    mission: Mission, assignments: dict[str, Any]
) -> None:
    ws = mission.workspace
    f.assignment(owner=ws, person=f.person(owner=ws, full_name="Awa Diallo", rank="Colonel"))
    client = mission.client("viewer")
    response = client.get(reverse("activities:assignment_list"))
    html = response.content.decode()
    assert ">Colonel Awa Diallo</option>" in html
    assert f">{assignments['p1'].full_name}</option>" in html
    chosen = client.get(reverse("activities:assignment_list"), {"person": assignments["p1"].pk})
    assert f'value="{assignments["p1"].pk}" selected' in chosen.content.decode()


def test_requests_sort_by_age_and_assignments_by_person(mission: Mission) -> None:
    ws = mission.workspace
    f.request(owner=ws, title="Old", received_on=D(2020, 1, 1))
    f.request(owner=ws, title="New", received_on=D(2024, 1, 1))
    client = mission.client("viewer")
    url = reverse("activities:request_list")
    assert _page_titles(client, url, sort="age") == ["New", "Old"]
    assert _page_titles(client, url, sort="-age") == ["Old", "New"]
    for name in ("Zoé Traoré", "Amadou Keïta"):
        f.assignment(owner=ws, person=f.person(owner=ws, full_name=name))
    response = client.get(reverse("activities:assignment_list"), {"sort": "person"})
    names = [row.record.person.full_name for row in response.context["table"].paginated_rows]
    assert names == ["Amadou Keïta", "Zoé Traoré"]


# --- exports -------------------------------------------------------------------------


@pytest.fixture
def many_trainings(mission: Mission) -> set[str]:
    """More trainings than a page holds, and a few other activities."""
    titles = set()
    for i in range(55):
        titles.add(f.activity(owner=mission.workspace, title=f"Stage {i:02d}").title)
    for i in range(3):
        f.activity(owner=mission.workspace, title=f"Don {i}", activity_type="equipment")
    Activity.objects.filter(title__startswith="Stage").update(activity_type="training")
    return titles


def test_csv_export_holds_exactly_the_filtered_rows_of_every_page(
    mission: Mission, many_trainings: set[str]
) -> None:
    url = reverse("activities:activity_list")
    client = mission.client("viewer")
    page = client.get(url, {"activity_type": "training"})
    assert len(list(page.context["table"].paginated_rows)) == 50
    response = client.get(url, {"activity_type": "training", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = _streamed(response).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[0] == "title"
    assert {row[0] for row in body} == many_trainings
    assert len(body) == 55


def test_xlsx_export_holds_exactly_the_filtered_rows_of_every_page(
    mission: Mission, many_trainings: set[str]
) -> None:
    response = mission.client("viewer").get(
        reverse("activities:activity_list"),
        {"activity_type": "training", "export": "xlsx", "columns": ["title", "donors"]},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("title", "donors")
    assert {row[0] for row in rows[1:]} == many_trainings
    assert len(rows) == 56


def test_exports_show_only_the_linked_records_the_user_sees(
    mission: Mission, other_mission: Mission
) -> None:
    activity = f.activity(owner=mission.workspace)
    shown = f.organization(owner=mission.workspace, name_fr="Donateur visible")
    hidden = f.organization(owner=other_mission.workspace, name_fr="Donateur caché")
    for organization in (shown, hidden):
        f.activity_participation(activity=activity, organization=organization, role="funding")
    client = mission.client("viewer")
    url = reverse("activities:activity_list")
    response = client.get(url, {"export": "csv", "columns": ["title", "donors"]})
    text = _streamed(response).decode()
    assert "Donateur visible" in text
    assert "Donateur caché" not in text
    assert "Donateur caché" not in client.get(url).content.decode()


# --- query counts --------------------------------------------------------------------


def _activity_row(ws: Any) -> None:
    activity = f.activity(
        owner=ws, agreement=f.agreement(owner=ws), parent=f.activity(owner=ws, title="Parent")
    )
    for role in ("funding", "implementing", "beneficiary"):
        f.activity_participation(
            activity=activity, organization=f.organization(owner=ws), role=role
        )
    f.activity_place(activity=activity, subdivision=f.subdivision("ML-BKO"))


def _agreement_row(ws: Any) -> None:
    agreement = f.agreement(owner=ws)
    agreement.parties.set([f.organization(owner=ws), f.organization(owner=ws)])


def _request_row(ws: Any) -> None:
    request = f.request(owner=ws, requester=f.organization(owner=ws))
    request.answered_by.add(f.activity(owner=ws), f.activity(owner=ws))


def _assignment_row(ws: Any) -> None:
    f.assignment(
        owner=ws,
        sending_organization=f.organization(owner=ws),
        activity=f.activity(owner=ws),
    )


@pytest.mark.parametrize(
    ("url_name", "model", "make_row"),
    [
        ("activities:activity_list", Activity, _activity_row),
        ("activities:agreement_list", Agreement, _agreement_row),
        ("activities:request_list", Request, _request_row),
        ("activities:assignment_list", Assignment, _assignment_row),
    ],
)
def test_list_queries_do_not_grow_with_the_rows(
    mission: Mission, url_name: str, model: type[Any], make_row: Callable[[Any], None]
) -> None:
    client, url = mission.client("viewer"), reverse(url_name)
    for _ in range(3):
        make_row(mission.workspace)
    client.get(url)  # warms the caches (content types, sessions)
    with_3 = query_count(lambda: client.get(url))
    for _ in range(27):
        make_row(mission.workspace)
    with_30 = query_count(lambda: client.get(url))
    assert model.objects.filter(owner=mission.workspace).count() >= 30
    assert with_3 == with_30
