"""The US Foreign Military Training Report (FMTR) as Security Force Monitor's scrapers
publish it (the refined XML per region and fiscal year:
`countries/country/program/training`), imported as training records.

Each training row becomes a course (by its US school and title) and a session with its
dates, trainee count and a `ReportedTraining` (programme, cost in USD, place, student
unit, the row of the report), cited to the file. The report's own "Program Totals"
rows are not trainings: the rows of each programme are checked against them (students
and cost) and every difference is reported. Scraping errors are repaired when the
intent is certain (the US unit "N/A - 306": a count pasted after "N/A"), reported
otherwise. All or nothing; importing the same file twice changes nothing (each row is
known by a key of its content).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.accountability.models import ReportedTraining
from liaison.core import bulk
from liaison.core.choices import Release
from liaison.core.models import Citation, Source, Workspace
from liaison.core.querysets import visible
from liaison.core.text import fold
from liaison.geo.models import Country
from liaison.partners.choices import OrganizationKind
from liaison.partners.models import Organization
from liaison.training.models import Course, School, Session

FIELDS = (
    "course_title", "quantity", "location", "student_unit", "us_unit", "total_cost",
    "start_date", "end_date",
)  # fmt: skip
TOTALS = re.compile(r"program\s+totals?", re.IGNORECASE)
NA_WITH_COUNT = re.compile(r"^N/?A\s*-\s*([\d,]+)$", re.IGNORECASE)
MONEY = re.compile(r"^\$?\s*([\d,]+(?:\.\d+)?)$")
PROGRAMME_NAME = re.compile(r"<p_name>.*?</p_name>", re.DOTALL)
TRAINING = re.compile(r"<training>.*?</training>", re.DOTALL)
FILE_NAME = re.compile(r"(\d{4})_(\d{4})_(.+?)_fmtrpt", re.IGNORECASE)
FISCAL_YEAR = re.compile(r"Fiscal Year (\d{4})", re.IGNORECASE)
SOURCE_URL = "https://github.com/security-force-monitor/fmtrpt_data"
UNKNOWN_US_UNIT = "N/A"
# What the report writes where it does not know the student unit: no unit, not one
# named "N/A".
NO_UNIT = {"", "n/a", "na", "none", "unknown", "-", "tbd"}
# A course needs its school: where the report gives no US unit, this one, said plainly.
UNKNOWN_SCHOOL = "US unit not given in the report (FMTR)"
# The shipped extract (Mali, fiscal year 2019; tests/data/SOURCES.md): the demo's rows.
DEMO_EXTRACT = Path(__file__).parent / "tests" / "data" / "2019_2020_Africa_fmtrpt_extract.xml"


class FmtrError(Exception):
    """The file cannot be read as an FMTR (nothing is written)."""


@dataclass
class Row:
    country: str
    programme_name: str
    number: int  # the row's place in its programme, from 1
    values: dict[str, str]
    quantity: int | None = None
    cost: Decimal | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    us_unit: str = ""
    span: tuple[int, int] = (0, 0)  # the row's <training> element in the file's text

    @property
    def where(self) -> str:
        return f"{self.country} / {self.programme_name} / {self.number}"


@dataclass
class Programme:
    country: str
    name: str
    rows: list[Row] = field(default_factory=list)
    totals: Row | None = None

    @property
    def code(self) -> str:
        """ "IMET-1 - Fiscal Year 2019 Department of State Training" -> "IMET-1"."""
        return self.name.split(" - ")[0].strip() or self.name


@dataclass
class Report:
    """What the import found and did, in lines for the command and the tests."""

    programmes: list[Programme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    written: bool = False
    text: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> list[Row]:
        return [r for p in self.programmes for r in p.rows]

    def lines(self) -> list[str]:
        lines = [
            _("%(rows)s training rows in %(programmes)s programmes.")
            % {"rows": len(self.rows), "programmes": len(self.programmes)}
        ]
        lines += [_("Error: %(text)s") % {"text": e} for e in self.errors]
        lines += [_("Repaired: %(text)s") % {"text": r} for r in self.repairs]
        lines += [_("Warning: %(text)s") % {"text": w} for w in self.warnings]
        lines += [_("Totals differ: %(text)s") % {"text": d} for d in self.differences]
        if not self.differences and self.programmes:
            lines.append(_("Every programme adds up to its totals row."))
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items()))
        lines.append(
            _("Created: %(created)s; unchanged rows: %(unchanged)s.")
            % {"created": created or "0", "unchanged": self.unchanged}
        )
        if not self.written:
            lines.append(_("Nothing was written."))
        return lines


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None else ""


def _money(text: str) -> Decimal | None:
    match = MONEY.match(text.replace(" ", ""))
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def _count(text: str) -> int | None:
    digits = text.replace(",", "").strip()
    return int(digits) if digits.isdigit() else None


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def _clean(row: Row, report: Report) -> None:
    """Read a row's numbers and dates; repair what is certain, report the rest."""
    values = row.values
    row.us_unit = values["us_unit"]
    stray = NA_WITH_COUNT.match(row.us_unit)
    if stray:
        row.us_unit = UNKNOWN_US_UNIT
        report.repairs.append(
            _("%(where)s: US unit «%(text)s» read as «N/A» (the number %(n)s is not a unit).")
            % {"where": row.where, "text": values["us_unit"], "n": stray.group(1)}
        )
    quantity, cost = values["quantity"], values["total_cost"]
    row.quantity, row.cost = _count(quantity), _money(cost)
    # The cost in the count's column and the count in the cost's: certain when the one
    # holds a dollar sign and the other a bare whole number.
    if row.quantity is None and row.cost is None and quantity.startswith("$"):
        swapped_count, swapped_cost = _count(cost), _money(quantity)
        if swapped_count is not None and swapped_cost is not None:
            row.quantity, row.cost = swapped_count, swapped_cost
            report.repairs.append(
                _("%(where)s: count and cost were in each other's columns.") % {"where": row.where}
            )
    if row.quantity is None and quantity:
        report.warnings.append(
            _("%(where)s: the count «%(text)s» is not a number (left empty).")
            % {"where": row.where, "text": quantity}
        )
    if row.cost is None and cost:
        report.warnings.append(
            _("%(where)s: the cost «%(text)s» is not an amount (left empty).")
            % {"where": row.where, "text": cost}
        )
    row.start, row.end = _date(values["start_date"]), _date(values["end_date"])
    for name, parsed in (("start_date", row.start), ("end_date", row.end)):
        if parsed is None and values[name]:
            report.warnings.append(
                _("%(where)s: the date «%(text)s» is not a date (left empty).")
                % {"where": row.where, "text": values[name]}
            )
    if row.start and row.end and row.end < row.start:
        report.warnings.append(
            _("%(where)s: ends before it starts (the end is left empty).") % {"where": row.where}
        )
        row.end = None
    if not values["course_title"]:
        report.errors.append(
            _("%(where)s: a training without a course title.") % {"where": row.where}
        )


def read(path: str | Path, country: str = "") -> Report:
    """Parse the file (and check the totals); write nothing."""
    report = Report()
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise FmtrError(_("Not an FMTR XML file: %(error)s") % {"error": error}) from None
    if root.tag != "countries":
        raise FmtrError(_("Not an FMTR XML file: the root is not «countries»."))
    report.text = Path(path).read_text(encoding="utf-8", errors="replace")
    # The elements in document order, to cite each row by its place in the text.
    spans = [m.span() for m in TRAINING.finditer(report.text)]
    index = 0
    wanted = fold(country)
    for country_element in root.findall("country"):
        name = country_element.get("name") or _text(country_element, "c_name")
        if wanted and fold(name) != wanted:
            index += len(country_element.findall("program/training"))
            continue
        for program in country_element.findall("program"):
            block = Programme(name, program.get("name") or _text(program, "p_name"))
            for training in program.findall("training"):
                values = {tag: _text(training, tag) for tag in FIELDS}
                row = Row(name, block.name, len(block.rows) + 1, values)
                row.span = spans[index] if index < len(spans) else (0, 0)
                index += 1
                if TOTALS.search(values["course_title"]):
                    row.quantity, row.cost = (
                        _count(values["quantity"]),
                        _money(values["total_cost"]),
                    )
                    block.totals = row
                    continue
                _clean(row, report)
                block.rows.append(row)
            report.programmes.append(block)
    if wanted and not report.programmes:
        report.errors.append(_("No country named %(name)s in the file.") % {"name": country})
    for block in report.programmes:
        check_totals(block, report)
    return report


def check_totals(block: Programme, report: Report) -> None:
    """The rows of a programme add up to its totals row (students and cost)."""
    where = f"{block.country} / {block.name}"
    if block.totals is None:
        report.warnings.append(_("%(where)s: no totals row.") % {"where": where})
        return
    students = sum(r.quantity or 0 for r in block.rows)
    cost = sum((r.cost or Decimal(0) for r in block.rows), Decimal(0))
    for label, summed, stated in (
        (_("students"), students, block.totals.quantity),
        (_("cost (USD)"), cost, block.totals.cost),
    ):
        if stated is not None and summed != stated:
            report.differences.append(
                _("%(where)s: %(what)s of the rows %(sum)s, totals row %(total)s (%(diff)s).")
                % {
                    "where": where,
                    "what": label,
                    "sum": summed,
                    "total": stated,
                    "diff": f"{summed - stated:+}",
                }
            )


def row_key(row: Row, seen: Counter[str]) -> str:
    """The row's identifier: its content (the same row read again is the same record),
    and its rank among identical rows."""
    content = "|".join([row.country, row.programme_name, *(row.values[f] for f in FIELDS)])
    digest = hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:20]
    seen[digest] += 1
    return f"fmtr:{digest}:{seen[digest]}"


class Resolver:
    """Finds or makes the organisations, schools and courses the rows name (in memory;
    written in bulk at the end)."""

    def __init__(self, workspace: Workspace, user: Any) -> None:
        self.workspace, self.user = workspace, user
        self.countries: dict[str, Country | None] = {}
        self.us = Country.objects.filter(alpha2="US").first()
        self.organizations: dict[tuple[int | None, str], Organization] = {}
        for org in (
            visible(Organization, user) if user else Organization.objects.filter(owner=workspace)
        ):
            for name in (org.name_fr, org.name_en, org.acronym_fr, org.acronym_en, *org.aliases):
                if name:
                    self.organizations.setdefault((org.country_id, fold(str(name))), org)
        self.schools = {s.organization_id: s for s in School.objects.filter(owner=workspace)}
        self.courses = {
            (c.school_id, c.title_en): c for c in Course.objects.filter(owner=workspace)
        }
        self.new: dict[str, list[Any]] = {"organizations": [], "schools": [], "courses": []}
        # The row that first named each new record: its citation.
        self.first_row: dict[int, Row] = {}
        self.row: Row | None = None

    def _named(self, record: Any) -> None:
        if self.row is not None:
            self.first_row[id(record)] = self.row

    def country(self, name: str) -> Country | None:
        if name not in self.countries:
            head = name.split(",")[0].split("(")[0].strip()
            self.countries[name] = (
                Country.objects.filter(name_en__iexact=name).first()
                or Country.objects.filter(name_en__iexact=head).first()
                or Country.objects.filter(name_en__istartswith=head).first()
            )
        return self.countries[name]

    def organization(self, name: str, country: Country | None, kind: str) -> Organization:
        country_id = country.pk if country else None
        key = (country_id, fold(name))
        found = self.organizations.get(key) or self.organizations.get((None, fold(name)))
        if found is None:
            # Named in a public report: open, like the partner organisations shared by
            # every mission (the sessions stay the workspace's own).
            found = Organization(
                owner=self.workspace, name_en=name, country=country, kind=kind,
                release=Release.OPEN,
                external_id=f"fmtr:{country.alpha2 if country else '-'}:{fold(name)}"[:100],
            )  # fmt: skip
            self.organizations[key] = found
            self.new["organizations"].append(found)
            self._named(found)
        return found

    def school(self, organization: Organization) -> School:
        if organization.pk is not None and organization.pk in self.schools:
            return self.schools[organization.pk]
        # A new organisation has no key yet: its object stands for it until written.
        key = -id(organization)
        if key not in self.schools:
            self.schools[key] = School(owner=self.workspace, organization=organization)
            self.new["schools"].append(self.schools[key])
            self._named(self.schools[key])
        return self.schools[key]

    def course(self, us_unit: str, title: str) -> Course:
        school_name = UNKNOWN_SCHOOL if us_unit.strip().lower() in NO_UNIT else us_unit
        school_org = self.organization(school_name, self.us, OrganizationKind.SCHOOL)
        school = self.school(school_org)
        key = (school.pk or -id(school), title)
        if key not in self.courses:
            self.courses[key] = Course(owner=self.workspace, school=school, title_en=title)
            self.new["courses"].append(self.courses[key])
            self._named(self.courses[key])
        return self.courses[key]


def source_for(path: Path, digest: str, workspace: Workspace, text: str) -> tuple[Source, bool]:
    found = Source.objects.filter(owner=workspace, sha256=digest).first()
    if found is not None:
        return found, False
    match = FILE_NAME.search(path.name)
    title = "US Foreign Military Training Report"
    if match:
        title += f", {match.group(1)}-{match.group(2)}, {match.group(3).replace('_', ' ')}"
    source = Source(
        owner=workspace, title=title, kind=Source.Kind.REPORT, file_name=path.name, text=text,
        url=SOURCE_URL, publisher="US Department of Defense and Department of State",
        language="en", sha256=digest,
        notes="Refined XML of Security Force Monitor's scrapers (fmtrpt_data, MIT).",
    )  # fmt: skip
    return source, True


def import_file(
    path: str | Path,
    workspace: Workspace,
    *,
    user: Any = None,
    country: str = "",
    commit: bool = True,
    marking: Any = None,
) -> Report:
    """Read and, when nothing is wrong and `commit`, write; all or nothing."""
    path = Path(path)
    report = read(path, country)
    if not report.ok:
        return report
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        existing = set(
            Session.objects.filter(owner=workspace, external_id__startswith="fmtr:").values_list(
                "external_id", flat=True
            )
        )
        resolver = Resolver(workspace, user)
        source, new_source = source_for(path, digest, workspace, report.text)
        seen: Counter[str] = Counter()
        sessions: list[Session] = []
        reported: list[ReportedTraining] = []
        rows: list[Row] = []
        for row in report.rows:
            key = row_key(row, seen)
            if key in existing:
                report.unchanged += 1
                continue
            resolver.row = row
            country_obj = resolver.country(row.country)
            student_unit = None
            if row.values["student_unit"].strip().lower() not in NO_UNIT:
                student_unit = resolver.organization(
                    row.values["student_unit"], country_obj, OrganizationKind.UNIT
                )
            course = resolver.course(row.us_unit, row.values["course_title"])
            fiscal = FISCAL_YEAR.search(row.programme_name)
            programme = Programme(row.country, row.programme_name).code
            year = fiscal.group(1) if fiscal else ""
            session = Session(
                owner=workspace, course=course, name=f"{programme} FY{year}",
                start_date=row.start, end_date=row.end, status=Session.Status.COMPLETED,
                capacity=row.quantity, external_id=key,
            )  # fmt: skip
            sessions.append(session)
            reported.append(
                ReportedTraining(
                    session=session,
                    programme=programme,
                    programme_name=row.programme_name,
                    fiscal_year=year,
                    country=country_obj,
                    location=row.values["location"][:300],
                    student_unit=student_unit,
                    us_unit=row.us_unit[:300],
                    trainee_count=row.quantity,
                    cost_usd=row.cost,
                    reference=f"{path.name} / {row.where}"[:500],
                )
            )
            rows.append(row)
        if marking is not None:  # the protective marking of everything written
            for record in [source, *sessions, *(r for n in resolver.new for r in resolver.new[n])]:
                record.marking = marking
        citations: list[Citation] = []
        if sessions and new_source:
            bulk.create(Source, [source])
            report.created["sources"] += 1
            # A source cites itself too: the first programme it reports.
            first = PROGRAMME_NAME.search(report.text)
            if first is not None:
                citations.append(
                    Citation(
                        source=source,
                        content_type=ContentType.objects.get_for_model(Source),
                        object_id=source.pk,
                        quote=first.group(0),
                        start=first.start(),
                        end=first.end(),
                    )
                )
        for name, model in (
            ("organizations", Organization), ("schools", School), ("courses", Course),
        ):  # fmt: skip
            bulk.create(model, resolver.new[name])
            report.created[name] += len(resolver.new[name])
        bulk.create(Session, sessions)
        bulk.create(ReportedTraining, reported)
        citations += [
            *cite(source, report.text, sessions, rows),
            *cite(source, report.text, reported, rows),
        ]
        for name in ("organizations", "schools", "courses"):
            made = resolver.new[name]
            citations += cite(source, report.text, made, [resolver.first_row[id(r)] for r in made])
        bulk.create(Citation, citations)
        report.created["sessions"] += len(sessions)
        report.created = +report.created  # drop the zeros
        if commit:
            report.written = True
        else:
            transaction.set_rollback(True)
    return report


def cite(source: Source, text: str, records: list[Any], rows: list[Row]) -> list[Citation]:
    """Each record cited to its row: the <training> element, with its offsets."""
    if not records:
        return []
    content_type = ContentType.objects.get_for_model(type(records[0]))
    return [
        Citation(
            source=source,
            content_type=content_type,
            object_id=record.pk,
            quote=text[row.span[0] : row.span[1]],
            start=row.span[0],
            end=row.span[1],
        )
        for record, row in zip(records, rows, strict=True)
    ]
