"""The FMTR import, on the shipped extract (tests/data, see SOURCES.md)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from liaison.accountability.fmtr import import_file, read
from liaison.accountability.models import ReportedTraining
from liaison.core.models import Citation, Source
from liaison.partners.models import Organization
from liaison.training.models import Course, Session
from tests import factories

pytestmark = pytest.mark.django_db
EXTRACT = Path(__file__).parent / "data" / "2019_2020_Africa_fmtrpt_extract.xml"
# Counted in the extract: Mali's 7 programmes (98 trainings, 7 totals rows) and
# Angola's FHA programme (5 trainings, 1 totals row).
MALI_ROWS, ANGOLA_ROWS = 98, 5


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Session, ReportedTraining, Course, Organization, Citation, Source)
    )


def test_the_extract_adds_up_to_the_reports_own_totals() -> None:
    report = read(EXTRACT)
    assert len(report.rows) == MALI_ROWS + ANGOLA_ROWS
    assert len(report.programmes) == 8
    assert report.differences == []
    assert report.errors == []
    # The totals rows are not trainings.
    assert not [r for r in report.rows if "Totals" in r.values["course_title"]]
    mali = [p for p in report.programmes if p.country == "Mali"]
    imet = next(p for p in mali if p.code == "IMET-1")
    assert imet.totals is not None
    assert sum(r.quantity or 0 for r in imet.rows) == imet.totals.quantity
    assert sum(r.cost or 0 for r in imet.rows) == imet.totals.cost


def test_na_with_a_number_is_repaired_and_reported() -> None:
    with translation.override("en"):
        report = read(EXTRACT, country="Angola")
    assert len(report.rows) == ANGOLA_ROWS
    assert {r.us_unit for r in report.rows} == {"N/A"}
    assert len(report.repairs) == ANGOLA_ROWS
    assert "«N/A - 306»" in report.repairs[0]


def test_a_changed_total_is_reported(tmp_path: Path) -> None:
    text = EXTRACT.read_text(encoding="utf-8")
    # Angola FHA: 122 students, $9,975,680 in the report; make it say otherwise.
    changed = text.replace("<quantity>122 </quantity>", "<quantity>125 </quantity>", 1)
    changed = changed.replace("$9,975,680", "$9,975,000", 1)
    assert changed.count("125 </quantity>") == 1
    path = tmp_path / "changed.xml"
    path.write_text(changed, encoding="utf-8")
    with translation.override("en"):
        report = read(path)
    assert len(report.differences) == 2
    students, cost = report.differences
    assert "Angola / FHA" in students
    assert "students of the rows 122, totals row 125 (-3)" in students
    assert "totals row 9975000 (+680)" in cost


def test_import_counts_cost_and_twice_changes_nothing() -> None:
    workspace = factories.owner_workspace()
    existing = factories.organization(
        name_fr="Armée de l'air malienne", aliases=["Malian Air Force"], country=factories.country()
    )
    report = import_file(EXTRACT, workspace, country="Mali")
    assert report.ok, report.errors
    assert report.created["sessions"] == MALI_ROWS
    assert Session.objects.filter(owner=workspace).count() == MALI_ROWS
    reported = ReportedTraining.objects.select_related("session", "student_unit")
    assert reported.count() == MALI_ROWS
    total = sum((r.cost_usd or Decimal(0) for r in reported), Decimal(0))
    read_total = sum(
        (p.totals.cost or Decimal(0) for p in read(EXTRACT, country="Mali").programmes if p.totals),
        Decimal(0),
    )
    assert total == read_total
    # The student unit is resolved by alias, not made again.
    air = reported.filter(student_unit=existing)
    assert air.exists()
    assert not Organization.objects.filter(name_en="Malian Air Force").exists()
    one = air.first()
    assert one is not None
    assert one.programme
    assert one.fiscal_year == "2019"
    assert one.country == factories.country("ML")
    assert one.session.capacity == one.trainee_count
    # Each session is cited to the file's row.
    citation = Citation.objects.get(object_id=one.session.pk, content_type__model="session")
    assert citation.quote.startswith("<training>")
    assert one.session.course.title_en in citation.quote
    assert citation.source.text[citation.start : citation.end] == citation.quote
    assert citation.source.sha256
    # History for every record written.
    assert Session.history.count() == MALI_ROWS

    before = counts()
    again = import_file(EXTRACT, workspace, country="Mali")
    assert again.unchanged == MALI_ROWS
    assert counts() == before


def test_dry_run_and_the_command_line() -> None:
    factories.owner_workspace()
    out = io.StringIO()
    call_command("import", "fmtr", str(EXTRACT), "--workspace=factory", "--dry-run", stdout=out)
    assert Session.objects.count() == 0
    assert "Nothing was written." in out.getvalue() or "Rien n" in out.getvalue()
    out = io.StringIO()
    call_command(
        "import", "fmtr", str(EXTRACT), "--workspace=factory", "--country=Mali", stdout=out
    )
    assert Session.objects.count() == MALI_ROWS


def test_a_file_that_is_not_an_fmtr_writes_nothing(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "bad.xml"
    path.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "fmtr", str(path), "--workspace=factory")
    broken = tmp_path / "broken.xml"
    broken.write_text(
        EXTRACT.read_text(encoding="utf-8").replace(
            "<course_title>Community Health Emergency Rapid Response </course_title>",
            "<course_title> </course_title>",
            1,
        ),
        encoding="utf-8",
    )
    factories.owner_workspace()
    report = import_file(broken, factories.owner_workspace())
    assert not report.ok
    assert Session.objects.count() == 0


def test_an_imported_student_unit_is_a_trained_unit() -> None:
    from liaison.accountability.queries import Filters, where_are_they_now
    from liaison.core.choices import Role
    from liaison.core.tests.pages import member

    workspace = factories.owner_workspace()
    import_file(EXTRACT, workspace, country="Mali")
    unit = Organization.objects.get(name_en="Malian Air Force")
    coup = factories.incident(title="Coup", kind="coup", period="2020-08")
    factories.implication(incident=coup, organization=unit)
    subjects = where_are_they_now(member(Role.VIEWER), workspace, Filters(kind="coup"))
    assert [(s.record, [h.incident for h in s.hits]) for s in subjects] == [(unit, [coup])]
    assert "IMET" in " ".join(t.label for t in subjects[0].trainings)


def test_an_unknown_student_unit_is_no_unit() -> None:
    """The report writes "N/A" where it does not know the unit: no organisation "N/A"."""
    assert "<student_unit>N/A" in EXTRACT.read_text(encoding="utf-8")
    import_file(EXTRACT, factories.owner_workspace(), country="Mali")
    assert not Organization.objects.filter(name_en__iexact="N/A").exists()
    assert ReportedTraining.objects.filter(student_unit=None).exists()
