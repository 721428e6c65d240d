"""Every endpoint family: list, detail, search, create, change and delete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import models
from django.urls import reverse

from liaison.activities.models import Activity
from liaison.core.choices import Release
from liaison.core.models import Workspace
from liaison.geo.models import Country, Subdivision
from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db


@dataclass
class Spec:
    """How to test one endpoint: a record to read, what to search, what to write."""

    basename: str
    make: Callable[[Workspace], models.Model]
    search: str | None
    create: Callable[[Workspace], dict[str, Any]]
    change: dict[str, Any]
    role: str = "editor"
    extra: dict[str, Any] = field(default_factory=dict)


def _org(owner: Workspace) -> int:
    return f.organization(owner=owner).pk


def _person(owner: Workspace) -> int:
    return f.person(owner=owner).pk


SPECS = [
    Spec(
        "organization",
        lambda ws: f.organization(owner=ws, name_fr="Direction de la Justice militaire"),
        "justice militaire",
        lambda ws: {"name_fr": "Brigade de la CEDEAO", "kind": "regional", "aliases": ["ECOWAS"]},
        {"acronym_fr": "DJM"},
    ),
    Spec(
        "person",
        lambda ws: f.person(owner=ws, full_name="Harouna Haïdara"),
        "haidara",
        lambda ws: {"full_name": "Aminata Traoré", "rank": "capitaine"},
        {"rank": "colonel-major"},
    ),
    Spec(
        "position",
        lambda ws: f.position(owner=ws, title_fr="Directeur de la Justice militaire"),
        "justice",
        lambda ws: {"person": _person(ws), "organization": _org(ws), "title_fr": "Chef"},
        {"title_en": "Head"},
    ),
    Spec(
        "agreement",
        lambda ws: f.agreement(owner=ws, title="Convention de partenariat Mali"),
        "convention mali",
        lambda ws: {"title": "Accord technique", "parties": [_org(ws)]},
        {"reference": "CP-2016-01"},
    ),
    Spec(
        "activity",
        lambda ws: f.activity(owner=ws, title="Formation au droit des conflits armés"),
        "droit conflits",
        lambda ws: {"title": "Don de véhicules", "activity_type": "equipment"},
        {"status": "implementation"},
    ),
    Spec(
        "request",
        lambda ws: f.request(owner=ws, title="Sollicitation sur court préavis"),
        "court preavis",
        lambda ws: {"title": "Demande de formation", "received_on": "2024-03-01"},
        {"urgency": "high"},
    ),
    Spec(
        "assignment",
        lambda ws: f.assignment(owner=ws, role="Conseiller justice militaire"),
        "conseiller",
        lambda ws: {"person": _person(ws), "organization": _org(ws), "role": "Instructeur"},
        {"role": "Conseiller technique"},
    ),
    Spec(
        "school",
        lambda ws: f.school(
            owner=ws, organization=f.organization(owner=ws, name_fr="École de maintien de la paix")
        ),
        "maintien paix",
        lambda ws: {"organization": f.organization(owner=ws, kind="school").pk},
        {"is_regional": True},
    ),
    Spec(
        "course",
        lambda ws: f.course(owner=ws, title_fr="Stage état-major"),
        "etat major",
        lambda ws: {"school": f.school(owner=ws).pk, "title_fr": "Stage de déminage"},
        {"duration_days": 10},
    ),
    Spec(
        "session",
        lambda ws: f.session(owner=ws, name="Promotion Soundiata"),
        "soundiata",
        lambda ws: {"course": f.course(owner=ws).pk, "name": "Session 2024"},
        {"capacity": 30},
    ),
    Spec(
        "enrollment",
        lambda ws: f.enrollment(
            session=f.session(owner=ws), person=f.person(owner=ws, full_name="Moussa Keïta")
        ),
        "keita",
        lambda ws: {"session": f.session(owner=ws).pk, "person": _person(ws)},
        {"result": "Admis"},
    ),
    Spec(
        "event",
        lambda ws: f.event(owner=ws, title="Séminaire droit des conflits armés"),
        "seminaire",
        lambda ws: {"title": "Cérémonie", "kind": "ceremony", "period": "2025-04"},
        {"topic": "Droit des conflits armés"},
    ),
    Spec(
        "participant",
        lambda ws: f.participant(
            event=f.event(owner=ws), person=f.person(owner=ws, full_name="Fatoumata Diarra")
        ),
        "diarra",
        lambda ws: {"event": f.event(owner=ws).pk, "person": _person(ws), "role": "instructor"},
        {"capacity": "Directeur"},
    ),
    Spec(
        "contextevent",
        lambda ws: f.context_event(owner=ws, title_fr="Coup d'État de 2020"),
        "coup",
        lambda ws: {"title_fr": "Fin de la MINUSMA", "kind": "mission_end"},
        {"title_en": "End of MINUSMA"},
    ),
    Spec(
        "source",
        lambda ws: f.source(owner=ws, title="Coopération de défense au Mali"),
        "cooperation mali",
        lambda ws: {"title": "Article de presse", "kind": "press_article"},
        {"publisher": "Ambassade"},
    ),
    Spec(
        "vettingrequest",
        lambda ws: f.vetting_request(
            owner=ws, subject_person=f.person(owner=ws, full_name="Awa Sidibé")
        ),
        "sidibe",
        lambda ws: {"subject_person": _person(ws), "requested_on": "2024-03-01"},
        {"requested_on": "2024-03-04"},  # the decision is read-only (services.decide)
        role="officer",
    ),
]


def _ids(client: Any, url: str) -> list[int]:
    """Every id of a list endpoint, following its pages."""
    ids: list[int] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        ids += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    return ids


def _client(missions: Missions, spec: Spec) -> Any:
    return token_client(getattr(missions, spec.role))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.basename)
def test_list_and_detail(missions: Missions, spec: Spec) -> None:
    obj = spec.make(missions.a)
    client = _client(missions, spec)
    assert obj.pk in _ids(client, reverse(f"api:{spec.basename}-list"))
    response = client.get(reverse(f"api:{spec.basename}-detail", args=[obj.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == obj.pk
    assert response["ETag"].startswith(f'"{obj.pk}.')
    if "owner" in body:
        assert body["owner"] == missions.a.pk
        assert {"marking", "release", "released_to", "version", "created_at"} <= set(body)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.search], ids=lambda s: s.basename)
def test_search(missions: Missions, spec: Spec) -> None:
    obj = spec.make(missions.a)
    spec.make(missions.a)  # another record of the kind, which must not match
    client = _client(missions, spec)
    url = reverse(f"api:{spec.basename}-list")
    found = _ids(client, f"{url}?q={spec.search}")
    assert obj.pk in found
    assert _ids(client, f"{url}?q=zzzzqqq") == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.basename)
def test_create_change_and_delete(missions: Missions, spec: Spec) -> None:
    client = _client(missions, spec)
    list_url = reverse(f"api:{spec.basename}-list")
    response = client.post(list_url, spec.create(missions.a), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    model: Any = type(spec.make(missions.a))
    obj = model.objects.get(pk=created["id"])
    if hasattr(obj, "owner_id"):
        assert obj.owner_id == missions.a.pk  # the caller's only writable workspace
        assert obj.created_by == getattr(missions, spec.role)
    history = obj.history.latest()
    assert (history.history_user, history.channel) == (getattr(missions, spec.role), "api")

    detail_url = reverse(f"api:{spec.basename}-detail", args=[obj.pk])
    etag = response["ETag"]
    response = client.patch(detail_url, spec.change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    for key, value in spec.change.items():
        assert response.json()[key] == value
    assert response["ETag"] != etag

    # Deleting takes a manager (or, for a vetting file, a vetting officer).
    if spec.role == "editor":
        assert client.delete(detail_url).status_code == 403
        client = token_client(missions.manager)
    etag = response["ETag"]
    assert client.delete(detail_url).status_code == 428  # it must say which version it read
    assert client.delete(detail_url, HTTP_IF_MATCH=etag).status_code == 204
    assert not model.objects.filter(pk=obj.pk).exists()


def test_a_viewer_reads_but_does_not_write(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    client = token_client(missions.viewer)
    url = reverse("api:activity-detail", args=[activity.pk])
    assert client.get(url).status_code == 200
    assert client.patch(url, {"title": "x"}, format="json").status_code == 403
    response = client.post(reverse("api:activity-list"), {"title": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_an_activity_answer_includes_its_parts(missions: Missions) -> None:
    activity = f.activity(owner=missions.a)
    participation = f.activity_participation(activity=activity, role="beneficiary")
    f.activity_place(activity=activity)
    f.budget_line(activity=activity)
    f.transaction(activity=activity)
    objective = f.objective(activity=activity)
    f.indicator(activity=activity, objective=objective)
    body = token_client(missions.viewer).get(reverse("api:activity-detail", args=[activity.pk]))
    data = body.json()
    assert data["participations"] == [
        {
            "id": participation.pk,
            "organization": participation.organization_id,
            "role": "beneficiary",
        }
    ]
    for part in ("places", "budget_lines", "transactions", "objectives", "indicators"):
        assert len(data[part]) == 1, part
    assert data["indicators"][0]["objective"] == objective.pk


def test_session_and_event_answers_include_trainees_and_participants(missions: Missions) -> None:
    enrollment = f.enrollment(session=f.session(owner=missions.a))
    participant = f.participant(event=f.event(owner=missions.a), role="instructor")
    client = token_client(missions.viewer)
    session = client.get(reverse("api:session-detail", args=[enrollment.session_id])).json()
    assert [e["id"] for e in session["enrollments"]] == [enrollment.pk]
    event = client.get(reverse("api:event-detail", args=[participant.event_id])).json()
    assert [(p["id"], p["role"]) for p in event["participants"]] == [(participant.pk, "instructor")]


def test_filters_are_the_list_pages_filters(missions: Missions) -> None:
    wanted = f.activity(owner=missions.a, status="implementation", activity_type="training")
    f.activity(owner=missions.a, status="closed")
    client = token_client(missions.viewer)
    url = reverse("api:activity-list")
    assert _ids(client, f"{url}?status=implementation") == [wanted.pk]
    assert _ids(client, f"{url}?activity_type=training&status=implementation") == [wanted.pk]
    response = client.get(f"{url}?status=nonsense")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_ordering_and_pages(missions: Missions) -> None:
    for title in ("Charlie", "Alpha", "Bravo"):
        f.activity(owner=missions.a, title=title)
    client = token_client(missions.viewer)
    url = reverse("api:activity-list")
    first = client.get(f"{url}?ordering=title&page_size=2").json()
    assert [r["title"] for r in first["results"]] == ["Alpha", "Bravo"]
    second = client.get(first["next"]).json()
    assert [r["title"] for r in second["results"]] == ["Charlie"]
    assert second["next"] is None
    # Numbered pages, with a count, for the smaller tables.
    f.agreement(owner=missions.a)
    page = client.get(reverse("api:agreement-list")).json()
    assert page["count"] == 1


def test_related_fields_take_only_what_the_caller_sees(missions: Missions) -> None:
    hidden = f.organization(owner=missions.b)  # private to mission B
    client = token_client(missions.editor)
    response = client.post(
        reverse("api:organization-list"), {"name_fr": "Unité", "parent": hidden.pk}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("parent", "does_not_exist")
    # The message is the same as for an id that does not exist at all.
    missing = client.post(
        reverse("api:organization-list"), {"name_fr": "Unité", "parent": 10**9}, format="json"
    )
    assert (
        missing.json()["errors"][0]["message"].replace(str(10**9), str(hidden.pk))
        == (error["message"])
    )


def test_a_record_keeps_a_link_the_caller_cannot_see(missions: Missions) -> None:
    """Changing a record never fails because of a link someone else made."""
    hidden = f.organization(owner=missions.b)
    position = f.position(owner=missions.a, organization=hidden)
    client = token_client(missions.editor)
    url = reverse("api:position-detail", args=[position.pk])
    read = client.get(url)
    body = read.json()
    body.pop("id")
    response = client.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.content


def test_writes_follow_the_models_rules(missions: Missions) -> None:
    client = token_client(missions.editor)
    response = client.post(
        reverse("api:activity-list"),
        {"title": "x", "planned_start": "2024-05-01", "planned_end": "2024-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] is None
    assert "end date" in response.json()["errors"][0]["message"]
    # The form's release rule: a named release names a workspace.
    response = client.post(
        reverse("api:activity-list"), {"title": "x", "release": Release.NAMED}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "released_to"
    assert not Activity.objects.exists()


def test_the_owner_must_be_a_workspace_where_the_caller_writes(missions: Missions) -> None:
    client = token_client(missions.editor)
    url = reverse("api:activity-list")
    response = client.post(url, {"title": "x", "owner": missions.b.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "owner"
    # With writing roles in two workspaces, the owner must be named.
    f.membership(user=missions.editor, workspace=missions.b, role="editor")
    response = token_client(missions.editor).post(url, {"title": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "owner",
        "code": "required",
        "message": "Say which workspace owns the record.",
    }


def test_a_child_record_is_written_with_the_rights_on_its_parent(missions: Missions) -> None:
    theirs = f.session(owner=missions.b, release=Release.OPEN)  # visible, not writable
    client = token_client(missions.editor)
    payload = {"session": theirs.pk, "person": f.person(owner=missions.a).pk}
    response = client.post(reverse("api:enrollment-list"), payload, format="json")
    assert response.status_code == 403


def test_reference_data(missions: Missions) -> None:
    client = token_client(missions.viewer)
    mali = Country.objects.get(alpha2="ML")
    response = client.get(reverse("api:country-list") + "?q=mli")
    assert [c["alpha2"] for c in response.json()["results"]] == ["ML"]
    assert client.get(reverse("api:country-detail", args=[mali.pk])).json()["name_fr"] == "Mali"
    bamako = Subdivision.objects.get(code="ML-BKO")
    response = client.get(reverse("api:subdivision-list") + "?country=ml&q=bamako")
    assert [s["id"] for s in response.json()["results"]] == [bamako.pk]
    assert client.post(reverse("api:country-list"), {}, format="json").status_code == 405


def test_citations_are_read_only(missions: Missions) -> None:
    record = f.organization(owner=missions.a)
    citation = f.citation(record=record, source=f.source(owner=missions.a))
    client = token_client(missions.viewer)
    body = client.get(reverse("api:citation-detail", args=[citation.pk])).json()
    assert (body["record_type"], body["object_id"]) == ("partners.organization", record.pk)
    assert citation.pk in _ids(client, reverse("api:citation-list"))
    url = reverse("api:citation-list")
    assert _ids(client, f"{url}?record_type=partners.organization&object_id={record.pk}") == [
        citation.pk
    ]
    assert _ids(client, f"{url}?record_type=activities.activity") == []
    assert client.post(reverse("api:citation-list"), {}, format="json").status_code == 405
    assert client.delete(reverse("api:citation-detail", args=[citation.pk])).status_code == 405
