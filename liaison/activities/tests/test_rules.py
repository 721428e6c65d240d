"""Every rule once: "an activity is not its own parent programme", "the region is in the
chosen country" and "a trainee's nationality is the person's unless given" live in the
models' clean(), so that the forms, the API, the imports and the intake all apply them,
with the same messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from liaison.activities.models import Activity, ActivityPlace
from liaison.core.imports.engine import CREATED, REFUSED, Report, run_import
from liaison.core.imports.spec import get_kind
from liaison.core.tests.pages import token_client
from liaison.training.models import Enrollment
from tests import factories as f

from .conftest import Mission, form_data

pytestmark = pytest.mark.django_db

CYCLE = "An activity cannot be its own parent programme, even through another."
OUTSIDE = "This region is not in the country chosen."


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return str(translation.gettext(message))


def _import(kind: str, path: Path, user: Any, workspace: Any) -> Report:
    found = get_kind(kind)
    assert found is not None
    with translation.override("en"):
        return run_import(found, path, "csv", user=user, workspace=workspace, commit=True)


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _programme_and_child(mission: Mission) -> tuple[Activity, Activity]:
    programme = f.activity(owner=mission.workspace, external_id="PROG")
    child = f.activity(owner=mission.workspace, parent=programme, external_id="CHILD")
    return programme, child


# --- an activity is not its own parent programme ---------------------------------------


def test_the_model_refuses_a_parent_cycle(mission: Mission) -> None:
    programme, child = _programme_and_child(mission)
    programme.parent = child
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    with translation.override("en"):
        assert refused.value.message_dict == {"parent": [CYCLE]}
    programme.parent = programme
    with pytest.raises(ValidationError):
        programme.full_clean()
    programme.parent = None
    child.full_clean()  # a parent that leads nowhere back is fine


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_api_refuses_a_parent_cycle_naming_the_field(mission: Mission, language: str) -> None:
    programme, child = _programme_and_child(mission)
    client = token_client(mission.editor, language=language)
    url = reverse("api:activity-detail", args=[programme.pk])
    for parent in (child.pk, programme.pk):
        etag = client.get(url)["ETag"]
        response = client.patch(url, {"parent": parent}, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 400, response.content
        assert response.json()["errors"] == [
            {"field": "parent", "code": "invalid", "message": _in(language, CYCLE)}
        ]
    programme.refresh_from_db()
    assert (programme.parent_id, programme.version) == (None, 1)
    # The bulk endpoint too.
    items = [{"id": programme.pk, "version": 1, "parent": child.pk}]
    response = client.post("/api/activities/bulk/", items, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"], error["message"]) == (0, "parent", _in(language, CYCLE))


def test_the_form_still_refuses_a_parent_cycle_with_the_same_message(mission: Mission) -> None:
    programme, child = _programme_and_child(mission)
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[programme.pk])
    data = form_data(client.get(url))
    response = client.post(url, {**data, "parent": child.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["parent"] == [CYCLE]
    programme.refresh_from_db()
    assert programme.parent is None


def test_the_import_still_refuses_a_parent_cycle_with_the_same_message(
    mission: Mission, tmp_path: Path
) -> None:
    _programme_and_child(mission)
    path = _csv(tmp_path / "a.csv", "external_id,title,parent\nPROG,Programme,CHILD\n")
    report = _import("activities", path, mission.editor, mission.workspace)
    [row] = report.rows
    assert row.action == REFUSED
    assert [(p.column, p.reason) for p in row.problems] == [("parent", CYCLE)]
    assert Activity.objects.get(external_id="PROG").parent is None


# --- the region is in the chosen country ----------------------------------------------


def test_the_model_refuses_a_region_of_another_country() -> None:
    activity = f.activity()
    place = ActivityPlace(
        activity=activity, country=f.country("ML"), subdivision=f.subdivision("SN-DK")
    )
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    with translation.override("en"):
        assert refused.value.message_dict == {"subdivision": [OUTSIDE]}
    place.subdivision = f.subdivision("ML-BKO")
    place.full_clean()


def test_the_form_still_refuses_a_region_of_another_country(mission: Mission) -> None:
    activity = f.activity(owner=mission.workspace)
    f.activity_place(activity=activity, country=f.country("SN"))
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = form_data(client.get(url))
    data.update(
        {"places-0-country": f.country("ML").pk, "places-0-subdivision": f.subdivision("SN-DK").pk}
    )
    response = client.post(url, data)
    assert response.status_code == 400
    formsets = {fs.prefix: fs for fs in response.context["formsets"]}
    place_form = formsets["places"].forms[0]
    assert place_form.errors["subdivision"] == [OUTSIDE]
    assert activity.places.get().country.alpha2 == "SN"


def test_the_import_still_refuses_a_region_of_another_country(
    mission: Mission, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "a.csv", "external_id,title,places\nA-1,Action,ML:SN-DK:Dakar\n")
    report = _import("activities", path, mission.editor, mission.workspace)
    [row] = report.rows
    assert row.action == REFUSED
    assert [(p.column, p.reason) for p in row.problems] == [("places", OUTSIDE)]
    assert not Activity.objects.exists()
    path = _csv(tmp_path / "b.csv", "external_id,title,places\nA-1,Action,ML:ML-BKO:Bamako\n")
    assert _import("activities", path, mission.editor, mission.workspace).counts[CREATED] == 1


# --- a trainee's nationality is the person's unless given -----------------------------


def _trainee(mission: Mission) -> Any:
    return f.person(owner=mission.workspace, nationality=f.country("SN"), external_id="P-1")


def test_the_api_gives_a_trainee_the_persons_nationality(mission: Mission) -> None:
    session = f.session(owner=mission.workspace, external_id="S-1")
    person = _trainee(mission)
    client = token_client(mission.editor)
    body = {"session": session.pk, "person": person.pk}
    response = client.post(reverse("api:enrollment-list"), body, format="json")
    assert response.status_code == 201, response.content
    enrollment = Enrollment.objects.get()
    assert enrollment.nationality == f.country("SN")
    assert response.json()["nationality"] == f.country("SN").pk
    # Given, it is kept.
    other = f.person(owner=mission.workspace)
    body = {"session": session.pk, "person": other.pk, "nationality": f.country("ML").pk}
    assert client.post(reverse("api:enrollment-list"), body, format="json").status_code == 201
    assert Enrollment.objects.get(person=other).nationality == f.country("ML")


def test_the_form_and_the_import_give_it_too(mission: Mission, tmp_path: Path) -> None:
    session = f.session(owner=mission.workspace, external_id="S-1")
    _trainee(mission)
    path = _csv(tmp_path / "e.csv", "session,person\nS-1,P-1\n")
    assert _import("enrollments", path, mission.editor, mission.workspace).counts[CREATED] == 1
    assert Enrollment.objects.get().nationality == f.country("SN")
    Enrollment.objects.all().delete()
    person = _trainee_two(mission)
    client: Client = mission.client("editor")
    url = reverse("training:session_edit", args=[session.pk])
    data = form_data(client.get(url))
    data.update({"enrollments-0-person": person.pk, "enrollments-0-status": "nominated"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enrollment.objects.get().nationality == f.country("ML")


def _trainee_two(mission: Mission) -> Any:
    return f.person(owner=mission.workspace, nationality=f.country("ML"))
