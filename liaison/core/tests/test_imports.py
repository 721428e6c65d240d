"""Bulk import (core.imports): dry run, all-or-nothing commit, idempotent upsert, access."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from liaison.activities.models import Activity, ActivityParticipation, ActivityPlace, BudgetLine
from liaison.core import audit
from liaison.core.choices import Release, Role
from liaison.core.imports.engine import CREATED, REFUSED, UNCHANGED, UPDATED
from liaison.core.imports.reading import template_csv, template_xlsx
from liaison.core.imports.spec import get_kind, kinds
from liaison.core.models import AuditLink, SearchEntry, TaskRun
from liaison.core.tests.importing import do_import, write_csv, write_xlsx
from liaison.core.tests.pages import client_for, member
from liaison.events.models import Event, Participant
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import Enrollment, Session
from tests import factories as f

pytestmark = pytest.mark.django_db

ACTIVITY_HEADER = [
    "external_id",
    "title",
    "activity_type",
    "status",
    "planned_start",
    "planned_end",
    "currency",
    "organisations",
    "places",
    "budget",
]


@pytest.fixture(autouse=True)
def _english_and_data_dir(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.DATA_DIR = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def editor() -> Any:
    return member(Role.EDITOR)


def activity_rows(n: int, org: str) -> list[list[str]]:
    return [
        [
            f"ACT-{i}",
            f"Activité {i}",
            "training",
            "implementation",
            "2025-01-01",
            "2025-06-30",
            "EUR",
            f"funding:{org}",
            "ML:ML-BKO:Bamako",
            "original:2025-01-01:2025-12-31:1500.50:EUR:Tranche",
        ]
        for i in range(n)
    ]


def dump() -> dict[str, Any]:
    """Every imported row and the history around them, to compare two states."""
    tables: list[type[models.Model]] = [
        Organization,
        Person,
        Position,
        Activity,
        ActivityParticipation,
        ActivityPlace,
        BudgetLine,
        Session,
        Enrollment,
        Event,
        Participant,
    ]
    state: dict[str, Any] = {}
    for model in tables:
        state[model.__name__] = sorted(map(repr, model._default_manager.order_by("pk").values()))
        state[f"{model.__name__}.history"] = model.history.count()  # type: ignore[attr-defined]
    state["audit"] = AuditLink.objects.count()
    state["search"] = sorted(SearchEntry.objects.values_list("object_id", "text"))
    return state


def test_every_kind_of_the_brief_is_declared() -> None:
    assert {k.slug for k in kinds()} >= {
        "organisations",
        "persons",
        "positions",
        "activities",
        "sessions",
        "enrollments",
        "events",
        "participants",
    }


def test_one_bad_row_among_a_thousand_imports_nothing_and_names_it(
    tmp_path: Path, editor: Any
) -> None:
    f.organization(external_id="ORG-F", name_fr="Bailleur")
    rows = activity_rows(1000, "ORG-F")
    rows[636][5] = "2024-01-01"  # ends before it starts: file line 638
    path = write_csv(tmp_path / "activities.csv", ACTIVITY_HEADER, rows)
    history = Activity.history.count()
    report = do_import("activities", path, editor)
    refused = [r for r in report.rows if r.action == REFUSED]
    assert [(r.row, r.key) for r in refused] == [(638, "ACT-636")]
    assert refused[0].problems[0].column == "planned_end"
    assert refused[0].problems[0].value == "2024-01-01"
    assert "end date cannot be before" in refused[0].problems[0].reason
    assert not report.committed
    assert Activity.objects.count() == 0
    assert BudgetLine.objects.count() == 0
    assert Activity.history.count() == history
    # The command line says the same and fails.
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import",
            "activities",
            str(path),
            "--user",
            editor.username,
            "--workspace",
            f.FACTORY_WORKSPACE,
            stdout=out,
        )
    assert exit_info.value.code == 1
    assert "row 638: refused ACT-636" in out.getvalue()
    assert Activity.objects.count() == 0


def test_the_same_file_twice_gives_the_same_database(tmp_path: Path, editor: Any) -> None:
    f.organization(external_id="ORG-F", name_fr="Bailleur")
    path = write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, activity_rows(30, "ORG-F"))
    out = io.StringIO()
    arguments = ["activities", str(path), "--user", editor.username]
    call_command("import", *arguments, "--dry-run", stdout=out)
    assert "row 31: created ACT-29" in out.getvalue()
    assert not Activity.objects.exists()
    first = do_import("activities", path, editor)
    assert first.committed
    assert first.counts[CREATED] == 30
    before = dump()
    assert before["BudgetLine"]
    assert before["ActivityParticipation"]
    second = do_import("activities", path, editor)
    assert second.committed
    assert second.counts[UNCHANGED] == 30
    assert dump() == before
    assert Activity.objects.filter(version=1).count() == 30
    assert audit.verify()[1] is None


def test_a_changed_row_updates_once_with_history_and_search(tmp_path: Path, editor: Any) -> None:
    f.organization(external_id="ORG-F", name_fr="Bailleur")
    rows = activity_rows(3, "ORG-F")
    do_import("activities", write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows), editor)
    rows[1][1] = "Titre corrigé"
    rows[2][9] = "revised:2025-01-01:2025-12-31:99:EUR"
    report = do_import("activities", write_csv(tmp_path / "b.csv", ACTIVITY_HEADER, rows), editor)
    assert [r.action for r in report.rows] == [UNCHANGED, UPDATED, UPDATED]
    renamed = Activity.objects.get(external_id="ACT-1")
    assert renamed.version == 2
    assert renamed.history.count() == 2
    latest = renamed.history.first()
    assert latest.history_user == editor
    assert latest.channel == "import"
    assert renamed.updated_by == editor
    assert SearchEntry.objects.filter(object_id=renamed.pk, text__contains="titre corrige").exists()
    budget = BudgetLine.objects.get(activity__external_id="ACT-2")
    assert (budget.kind, budget.amount) == ("revised", 99)
    assert audit.verify()[1] is None


def test_xlsx_and_csv_import_alike(tmp_path: Path, editor: Any) -> None:
    header = ["external_id", "full_name", "rank", "gender", "nationality", "birth_date"]
    rows = [["P-1", "Awa Traoré", "Colonel", "female", "ML", "1970-05-02"]]
    report = do_import("persons", write_xlsx(tmp_path / "p.xlsx", header, rows), editor)
    assert report.counts[CREATED] == 1
    person: Any = Person.objects.get(external_id="P-1")
    assert (person.gender, person.nationality.alpha2, str(person.birth_date)) == (
        "female",
        "ML",
        "1970-05-02",
    )
    again = do_import("persons", write_csv(tmp_path / "p.csv", header, rows), editor)
    assert again.counts[UNCHANGED] == 1


def test_templates_round_trip(tmp_path: Path, editor: Any) -> None:
    kind = get_kind("organisations")
    assert kind is not None
    client = client_for(editor)
    response = client.get(reverse("core:import_template", args=["organisations", "xlsx"]))
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    book = load_workbook(path)
    help_rows = list(book["help"].iter_rows(values_only=True))
    by_name = {row[0]: row for row in help_rows[1:]}
    assert "identifiant" in str(by_name["external_id"][2]).lower()  # French
    assert "identifier" in str(by_name["external_id"][3]).lower()  # English
    data = book.worksheets[0]
    header = [c.value for c in data[1]]
    values = {"external_id": "T-1", "name_fr": "Direction des écoles", "kind": "Unité"}
    data.append([values.get(str(name), "") for name in header])
    book.save(path)
    report = do_import("organisations", path, editor)
    assert report.ok
    assert report.counts[CREATED] == 1
    assert Organization.objects.get(external_id="T-1").kind == "unit"
    # The CSV template's header, filled in, imports too.
    header_line = template_csv(kind).decode("utf-8-sig").strip()
    csv_path = tmp_path / "t.csv"
    columns = header_line.split(",")
    csv_path.write_text(
        header_line
        + "\n"
        + ",".join({"external_id": "T-2", "name_en": "Schools"}.get(c, "") for c in columns)
    )
    assert do_import("organisations", csv_path, editor).counts[CREATED] == 1
    assert template_xlsx(kind)[:2] == b"PK"


def test_hidden_linked_records_are_not_found(tmp_path: Path, editor: Any) -> None:
    other = f.workspace()
    f.organization(owner=other, external_id="SECRET", name_fr="Service secret")
    f.organization(owner=other, external_id="OPEN", name_fr="Ouvert", release=Release.OPEN)
    header = ["external_id", "title", "organisations"]
    rows = [
        ["A-1", "Cachée", "funding:Service secret"],
        ["A-2", "Absente", "funding:Nulle part"],
        ["A-3", "Ouverte", "funding:OPEN"],
    ]
    report = do_import("activities", write_csv(tmp_path / "h.csv", header, rows), editor)
    hidden, absent, shown = report.rows
    assert hidden.action == absent.action == REFUSED
    assert hidden.problems[0].reason.replace("Service secret", "X") == absent.problems[
        0
    ].reason.replace("Nulle part", "X")
    assert "not found" in hidden.problems[0].reason
    assert shown.action == CREATED
    # A record of another workspace with the same external identifier is not updated.
    f.person(owner=other, external_id="P-9", full_name="Autre")
    people = write_csv(tmp_path / "p.csv", ["external_id", "full_name"], [["P-9", "Mien"]])
    assert do_import("persons", people, editor).counts[CREATED] == 1
    assert Person.objects.get(owner=other, external_id="P-9").full_name == "Autre"


def test_a_viewer_may_not_import(tmp_path: Path) -> None:
    viewer = member(Role.VIEWER)
    path = write_csv(tmp_path / "o.csv", ["external_id", "name_fr"], [["O-1", "Unité"]])
    report = do_import("organisations", path, viewer)
    assert report.file_problems
    assert not report.committed
    assert not Organization.objects.filter(external_id="O-1").exists()


def test_unknown_and_missing_columns_refuse_the_file(tmp_path: Path, editor: Any) -> None:
    path = write_csv(tmp_path / "o.csv", ["name_fr", "colour"], [["Unité", "bleu"]])
    report = do_import("organisations", path, editor)
    assert len(report.file_problems) == 2
    assert not report.rows


def test_child_kinds_and_links_within_the_file(tmp_path: Path, editor: Any) -> None:
    orgs = write_csv(
        tmp_path / "o.csv",
        ["external_id", "name_fr", "parent"],
        [["O-1", "Ministère", ""], ["O-2", "Direction", "O-1"]],
    )
    assert do_import("organisations", orgs, editor).counts[CREATED] == 2
    child: Any = Organization.objects.get(external_id="O-2")
    assert child.parent.external_id == "O-1"
    people = write_csv(
        tmp_path / "p.csv", ["external_id", "full_name", "nationality"], [["P-1", "Awa", "SN"]]
    )
    do_import("persons", people, editor)
    positions = write_csv(
        tmp_path / "pos.csv",
        ["external_id", "person", "organization", "title_fr", "start_date"],
        [["POS-1", "Awa", "O-2", "Directrice", "2024-01-01"]],
    )
    assert do_import("positions", positions, editor).counts[CREATED] == 1
    course = f.course(code="DIH-1")
    sessions = write_csv(
        tmp_path / "s.csv", ["external_id", "course", "name"], [["S-1", "DIH-1", "Session 1"]]
    )
    assert do_import("sessions", sessions, editor).counts[CREATED] == 1
    assert Session.objects.get(external_id="S-1").course == course
    enrollments = write_csv(
        tmp_path / "e.csv", ["session", "person", "status"], [["S-1", "P-1", "confirmed"]]
    )
    # The vetting gate holds for imports too: no confirmation without a valid approval.
    refused = do_import("enrollments", enrollments, editor)
    assert refused.counts[REFUSED] == 1
    assert not Enrollment.objects.exists()
    f.vetting_request(
        subject_person=Person.objects.get(external_id="P-1"),
        status="approved",
        decided_on=datetime.date.today(),
        valid_until=datetime.date.today() + datetime.timedelta(days=365),
    )
    assert do_import("enrollments", enrollments, editor).counts[CREATED] == 1
    assert do_import("enrollments", enrollments, editor).counts[UNCHANGED] == 1
    enrollment = Enrollment.objects.get()
    assert enrollment.nationality is not None
    assert enrollment.nationality.alpha2 == "SN"
    events = write_csv(
        tmp_path / "ev.csv",
        ["external_id", "title", "organisers", "start_date"],
        [["E-1", "Séminaire", "O-1; O-2", "2025-02-03"]],
    )
    assert do_import("events", events, editor).counts[CREATED] == 1
    assert Event.objects.get().organisers.count() == 2
    assert do_import("events", events, editor).counts[UNCHANGED] == 1
    participants = write_csv(
        tmp_path / "pa.csv",
        ["event", "person", "organization", "role"],
        [["E-1", "P-1", "", "speaker"], ["E-1", "", "O-1", ""], ["E-1", "", "", ""]],
    )
    report = do_import("participants", participants, editor)
    assert [r.action for r in report.rows] == [CREATED, CREATED, REFUSED]
    assert "person or an organisation" in report.rows[2].problems[0].reason
    participants.write_text("\n".join(participants.read_text().splitlines()[:3]))
    assert do_import("participants", participants, editor).counts[CREATED] == 2
    assert do_import("participants", participants, editor).counts[UNCHANGED] == 2


def test_child_rows_need_a_parent_the_user_may_change(tmp_path: Path) -> None:
    other = f.workspace()
    event = f.event(owner=other, external_id="E-X", release=Release.OPEN)
    f.person(owner=other, external_id="P-X", release=Release.OPEN)
    user = member(Role.EDITOR)
    path = write_csv(tmp_path / "pa.csv", ["event", "person"], [["E-X", "P-X"]])
    report = do_import("participants", path, user, workspace=None)
    assert report.rows[0].action == REFUSED
    assert "may not change" in report.rows[0].problems[0].reason
    assert not event.participants.exists()


def test_preview_then_confirm_in_the_browser_flow(tmp_path: Path, editor: Any) -> None:
    client = client_for(editor)
    page = client.get(reverse("activities:activity_list"))
    assert reverse("core:import_upload", args=["activities"]) in page.content.decode()
    upload = reverse("core:import_upload", args=["activities"])
    assert "planned_start" in client.get(upload).content.decode()
    bad = write_csv(tmp_path / "bad.csv", ["external_id", "title"], [["W-1", ""]])
    with bad.open("rb") as handle:
        response = client.post(
            upload, {"file": handle, "workspace": f.owner_workspace().pk}, follow=True
        )
    text = response.content.decode()
    assert 'class="import-refused"' in text
    assert "import-confirm" not in text
    assert "<code>title</code>" in text
    good = write_csv(tmp_path / "good.csv", ["external_id", "title"], [["W-1", "Web"]])
    with good.open("rb") as handle:
        response = client.post(upload, {"file": handle, "workspace": f.owner_workspace().pk})
    assert response.status_code == 302
    preview = response["Location"]
    page = client.get(preview)
    assert page.context["report"]["counts"]["created"] == 1
    assert 'id="import-confirm"' in page.content.decode()
    assert not Activity.objects.filter(external_id="W-1").exists()
    # Somebody else cannot see or confirm this upload.
    assert client_for(member(Role.EDITOR)).post(preview).status_code == 404
    response = client.post(preview)
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:activity_list")
    created = Activity.objects.get(external_id="W-1")
    history = created.history.get()
    assert (history.history_user, history.channel) == (editor, "web")
    runs = TaskRun.objects.filter(kind="import", user=editor, status=TaskRun.Status.DONE)
    assert runs.count() == 3  # two checks, one import
    assert runs.latest("pk").result["counts"]["created"] == 1
    assert client.get(reverse("core:imports")).status_code == 200


def test_release_to_named_workspaces(tmp_path: Path, editor: Any) -> None:
    partner = f.workspace(slug="partner")
    header = ["external_id", "full_name", "release", "released_to"]
    rows = [["R-1", "Nommée", "named", "partner"], ["R-2", "Sans destinataire", "named", ""]]
    report = do_import("persons", write_csv(tmp_path / "r.csv", header, rows), editor)
    assert [r.action for r in report.rows] == [CREATED, REFUSED]
    assert report.rows[1].problems[0].column == "released_to"
    rows.pop()
    assert do_import("persons", write_csv(tmp_path / "r.csv", header, rows), editor).ok
    person = Person.objects.get(external_id="R-1")
    assert list(person.released_to.all()) == [partner]
    again = do_import("persons", write_csv(tmp_path / "r.csv", header, rows), editor)
    assert again.counts[UNCHANGED] == 1
