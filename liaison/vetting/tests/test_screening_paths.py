"""Everything screened: a person or organisation created or changed by any path (form,
API, spreadsheet import, intake acceptance, FtM import) is screened in the background
once its transaction commits; an import screens all its records in one task."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from liaison.core.choices import Role
from liaison.core.imports.engine import CREATED, UPDATED
from liaison.core.models import TaskRun
from liaison.core.tests.importing import do_import, write_csv
from liaison.core.tests.pages import client_for, member, page_data, token_client
from liaison.intake import services as intake
from liaison.intake.tests.conftest import DIILS, fake_extract
from liaison.partners import ftm
from liaison.partners.models import Organization, Person
from liaison.vetting.models import ScreeningHit
from liaison.vetting.screening.importer import import_list
from tests import factories

pytestmark = pytest.mark.django_db


LIST = Path(__file__).parent / "data" / "ofac_sdn_mali_subset_20240503.ftm.jsonl"
LISTED = "Sadio Camara"  # CAMARA, Sadio on the list
ALSO_LISTED = "Adama Bagayoko"  # BAGAYOKO, Adama
LISTED_ORG = "Private Military Company Wagner"


@pytest.fixture(autouse=True)
def listed(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    import_list(LIST, "ofac-mali", "ftm")


@pytest.fixture
def editor() -> Any:
    return member(Role.EDITOR)


def screenings() -> int:
    return TaskRun.objects.filter(kind="screening").count()


def captions(subject: Person | Organization) -> list[str]:
    field = "person" if isinstance(subject, Person) else "organization"
    return [h.entry.caption for h in ScreeningHit.objects.filter(**{field: subject})]


def test_the_edit_form(editor: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partners:person_add"),
            {
                "full_name": LISTED,
                "owner": factories.owner_workspace().pk,
                "release": "private",
            },
        )
    assert response.status_code == 302
    assert captions(Person.objects.get(full_name=LISTED)) == ["CAMARA, Sadio"]
    # A rename through the form screens again.
    person = factories.person(full_name="Jean Dupont")
    url = reverse("partners:person_edit", args=[person.pk])
    data = page_data(client.get(url))
    data["full_name"] = ALSO_LISTED
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert captions(person) == ["BAGAYOKO, Adama"]


def test_the_api(editor: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/persons/", {"full_name": LISTED}, format="json")
    assert response.status_code == 201, response.content
    assert captions(Person.objects.get(pk=response.json()["id"])) == ["CAMARA, Sadio"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/organizations/", {"name_fr": LISTED_ORG, "kind": "other"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert captions(Organization.objects.get(pk=response.json()["id"])) != []


def _import(kind: str, path: Path, user: Any) -> Any:
    with translation.override("en"):
        return do_import(kind, path, user)


def test_a_spreadsheet_import_screens_its_rows_in_one_task(
    editor: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Imports write in bulk (core.bulk), without Django's save signals."""
    header = ["external_id", "full_name"]
    rows = [["P-1", LISTED], ["P-2", ALSO_LISTED], ["P-3", "Awa Traoré"]]
    before = screenings()
    with django_capture_on_commit_callbacks(execute=True):
        report = _import("persons", write_csv(tmp_path / "p.csv", header, rows), editor)
    assert report.counts[CREATED] == 3
    assert screenings() == before + 1  # one task for the whole file
    assert TaskRun.objects.filter(kind="screening").latest("pk").result["screened"] == 3
    assert captions(Person.objects.get(external_id="P-1")) == ["CAMARA, Sadio"]
    assert captions(Person.objects.get(external_id="P-2")) == ["BAGAYOKO, Adama"]
    assert captions(Person.objects.get(external_id="P-3")) == []
    # A row renaming a record screens it again; rows that change nothing screened start
    # no task.
    rows[2][1] = "Mahamadou Lahbous"
    with django_capture_on_commit_callbacks(execute=True):
        report = _import("persons", write_csv(tmp_path / "p.csv", header, rows), editor)
    assert report.counts[UPDATED] == 1
    assert screenings() == before + 2
    assert len(captions(Person.objects.get(external_id="P-3"))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _import(
            "persons",
            write_csv(tmp_path / "p.csv", [*header, "rank"], [[*r, "x"] for r in rows]),
            editor,
        )
    assert screenings() == before + 2


def test_an_organisation_import(
    editor: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = _import(
            "organisations",
            write_csv(
                tmp_path / "o.csv",
                ["external_id", "name_fr", "kind"],
                [["O-1", LISTED_ORG, "other"]],
            ),
            editor,
        )
    assert report.ok, report.as_dict()
    assert captions(Organization.objects.get(external_id="O-1")) != []


def test_a_refused_import_screens_nothing(
    editor: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    before = screenings()
    rows = [["P-1", LISTED, "1979-03-22"], ["P-2", ALSO_LISTED, "not a date"]]
    with django_capture_on_commit_callbacks(execute=True):
        report = _import(
            "persons",
            write_csv(tmp_path / "p.csv", ["external_id", "full_name", "birth_date"], rows),
            editor,
        )
    assert not report.committed
    assert screenings() == before
    assert not ScreeningHit.objects.exists()


def test_intake_acceptance(
    editor: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("liaison.intake.pipeline.extract", fake_extract)
    monkeypatch.setattr("liaison.intake.services.gazetteer_for_user", lambda user: None)
    workspace = factories.owner_workspace()
    with translation.override("en"):
        queued = intake.queue_documents(
            [intake.Upload("article.txt", DIILS.read_bytes())], user=editor, workspace=workspace
        )
        document = queued.documents[0]
        proposal = document.proposals.filter(kind="person").first()
        assert proposal is not None
        with django_capture_on_commit_callbacks(execute=True):
            person = intake.accept(proposal, user=editor, fields={"name": LISTED})
    assert isinstance(person, Person)
    assert captions(person) == ["CAMARA, Sadio"]


def test_the_ftm_import(editor: Any, django_capture_on_commit_callbacks: Any) -> None:
    lines = [
        json.dumps({"id": "os-1", "schema": "Person", "properties": {"name": [LISTED]}}),
        json.dumps({"id": "os-2", "schema": "Organization", "properties": {"name": [LISTED_ORG]}}),
    ]
    before = screenings()
    with django_capture_on_commit_callbacks(execute=True):
        report = ftm.Importer(editor, factories.owner_workspace()).run(lines)
    assert report.created == 2
    assert screenings() == before + 1
    assert captions(Person.objects.get(full_name=LISTED)) == ["CAMARA, Sadio"]
    assert captions(Organization.objects.get(name_fr=LISTED_ORG)) != []
