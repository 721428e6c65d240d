"""`liaison export iati`: IATI 2.03 activity XML, valid against the schema, holding only
what the user may see."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from lxml import etree

from liaison.activities import iati, iati_rules
from liaison.activities.choices import ActivityStatus, ParticipationRole, TransactionType
from liaison.activities.models import Activity
from liaison.core.choices import Release, Role
from liaison.core.orgids import validate_org_ref
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Messages are matched in English."""
    with translation.override("en"):
        yield


DAY = datetime.date(2025, 2, 10)


@pytest.fixture
def world() -> dict[str, Any]:
    mine = factories.workspace(slug="mcd", name="MCD Mali", iati_ref="XM-DAC-4")
    theirs = factories.workspace(slug="osc", name="OSC Mali", iati_ref="US-GOV-7")
    reader = factories.user(username="reader")
    factories.membership(user=reader, workspace=mine, role=Role.VIEWER)
    hidden_org = factories.organization(owner=theirs, name_fr="Unité secrète")
    donor = factories.organization(owner=mine, name_fr="DCSD", iati_ref="XM-DAC-4", iati_type="10")
    programme = factories.activity(owner=theirs, title="Programme caché")
    activity = factories.activity(
        owner=mine,
        title="Formation au droit des conflits armés",
        description="Séminaire à Bamako.",
        status=ActivityStatus.IMPLEMENTATION,
        planned_start=DAY,
        planned_end=DAY + datetime.timedelta(days=4),
        parent=programme,
    )
    factories.activity_participation(
        activity=activity, organization=donor, role=ParticipationRole.FUNDING
    )
    factories.activity_participation(
        activity=activity, organization=hidden_org, role=ParticipationRole.IMPLEMENTING
    )
    factories.activity_place(activity=activity, country=factories.country("ML"))
    factories.budget_line(activity=activity, amount=Decimal("12000.50"))
    factories.transaction(
        activity=activity,
        transaction_type=TransactionType.DISBURSEMENT,
        amount=Decimal("5000"),
        provider=donor,
        receiver=hidden_org,
        date=DAY,
    )
    objective = factories.objective(activity=activity, text="Former les magistrats militaires")
    factories.indicator(
        activity=activity,
        objective=objective,
        title="Magistrats formés",
        baseline_year=2024,
        baseline=Decimal(0),
        target=Decimal(40),
    )
    factories.indicator(activity=activity, title="Modules publiés")
    other = factories.activity(owner=theirs, title="Action d'un autre bailleur")
    open_one = factories.activity(
        owner=theirs, title="Action ouverte", release=Release.OPEN, planned_start=DAY
    )
    factories.activity_place(activity=open_one, country=factories.country("ML"))
    return {"reader": reader, "activity": activity, "other": other, "open": open_one}


def export(user: Any, **options: Any) -> bytes:
    return iati.to_bytes(iati.build(iati.activities_for(user, options.get("workspace")), user))


def test_the_export_is_valid_and_holds_what_the_user_sees(world: dict[str, Any]) -> None:
    document = export(world["reader"])
    assert iati.validate(document) == []
    tree = etree.fromstring(document)
    titles = tree.xpath("//iati-activity/title/narrative/text()")
    assert sorted(titles) == ["Action ouverte", "Formation au droit des conflits armés"]
    text = document.decode()
    # Nothing of what the reader may not see: the other mission's activity, its hidden
    # unit (neither as participant nor as receiver), its hidden parent programme.
    for secret in ("Action d'un autre bailleur", "Unité secrète", "Programme caché"):
        assert secret not in text
    assert "related-activity" not in text
    (activity,) = tree.xpath(f"//iati-activity[iati-identifier='XM-DAC-4-{world['activity'].pk}']")
    assert activity.xpath("participating-org/@role") == ["1"]
    assert activity.xpath("participating-org/@ref") == ["XM-DAC-4"]
    assert activity.xpath("participating-org/@type") == ["10"]
    assert activity.xpath("transaction/provider-org/@ref") == ["XM-DAC-4"]
    assert activity.xpath("sector/@code") == ["15210"]
    assert "XI-LIAISON" not in text
    assert activity.xpath("activity-status/@code") == ["2"]
    assert activity.xpath("activity-date/@iso-date") == ["2025-02-10", "2025-02-14"]
    assert activity.xpath("budget/value/text()") == ["12000.50"]
    assert activity.xpath("transaction/provider-org/narrative/text()") == ["DCSD"]
    assert activity.xpath("transaction/receiver-org") == []
    assert activity.xpath("recipient-country/@code") == ["ML"]
    assert activity.xpath("result/indicator/title/narrative/text()") == [
        "Magistrats formés",
        "Modules publiés",
    ]


def test_a_user_of_no_workspace_gets_only_what_is_open(world: dict[str, Any]) -> None:
    stranger = factories.user()
    document = export(stranger)
    assert iati.validate(document) == []
    titles = etree.fromstring(document).xpath("/iati-activities/iati-activity/title/narrative")
    assert [t.text for t in titles] == ["Action ouverte"]


def test_an_invalid_document_is_reported() -> None:
    assert iati.validate(b"<iati-activities version='2.03'><iati-activity/></iati-activities>")


def test_the_command(world: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "activities.xml"
    call_command(
        "export",
        "iati",
        "--user",
        "reader",
        "--workspace",
        "mcd",
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    document = out.read_bytes()
    assert iati.validate(document) == []
    assert etree.fromstring(document).xpath("/*/iati-activity/title/narrative/text()") == [
        "Formation au droit des conflits armés"
    ]
    factories.user(username="nobody-at-all", is_active=True)
    Activity.objects.filter(release=Release.OPEN).delete()
    empty = tmp_path / "empty.xml"
    with pytest.raises(CommandError, match="no activity"):
        call_command("export", "iati", "--user", "nobody-at-all", "--out", str(empty))
    assert not empty.exists()
    with pytest.raises(CommandError, match="nobody"):
        call_command("export", "iati", "--user", "nobody")


def failures(document: bytes) -> list[str]:
    """What the schema and the IATI standard ruleset find wrong (errors and warnings)."""
    return iati.validate(document) + [str(f) for f in iati_rules.check(document)]


def test_the_export_passes_the_ruleset(world: dict[str, Any]) -> None:
    assert failures(export(world["reader"])) == []


def test_the_ruleset_finds_what_it_should() -> None:
    """The checker itself: a document with the faults the issue found fails it."""
    bad = b"""<iati-activities version="2.03"><iati-activity default-currency="EUR"
      last-updated-datetime="2025-01-01T00:00:00+00:00">
      <iati-identifier>XM-SYNTH-1</iati-identifier>
      <reporting-org ref="XI-LIAISON-mcd" type="10"><narrative>M</narrative></reporting-org>
      <title><narrative>T</narrative></title>
      <participating-org role="1"><narrative>D</narrative></participating-org>
      <activity-date type="3" iso-date="2025-01-01"/>
      <budget><period-start iso-date="2025-01-01"/><period-end iso-date="2027-12-31"/>
        <value value-date="2025-01-01">10</value></budget>
      <transaction><transaction-type code="3"/><transaction-date iso-date="2999-01-01"/>
        <value value-date="2999-01-01">1</value></transaction>
    </iati-activity></iati-activities>"""
    ids = {f.rule_id for f in iati_rules.check(bad)}
    # No start date, no sector, no language, a budget over a year, a future transaction,
    # an identifier that is not the reporting organisation's, an unregistered prefix.
    assert {"6.11.1", "6.2.2", "4.1.1", "7.5.3", "11.2.1", "1.1.21", "1.14.8"} <= ids


def test_an_activity_without_dates_is_left_out_and_named(world: dict[str, Any]) -> None:
    undated = factories.activity(owner=world["activity"].owner, title="Sans date")
    factories.activity_place(activity=undated, country=factories.country("ML"))
    result = iati.export(iati.activities_for(world["reader"]), world["reader"])
    document = iati.to_bytes(result.root)
    assert "Sans date" not in document.decode()
    # Never the day the record was made.
    day = undated.created_at.date().isoformat()
    assert etree.fromstring(document).xpath(f"//activity-date[@iso-date='{day}']") == []
    assert [str(o) for o in result.omissions] == ["Sans date: no start date is known"]
    assert failures(document) == []


def test_a_long_budget_is_split_into_years_and_the_future_is_not_actual(
    world: dict[str, Any],
) -> None:
    activity = world["activity"]
    activity.budget_lines.all().delete()
    factories.budget_line(
        activity=activity,
        period_start=datetime.date(2024, 3, 1),
        period_end=datetime.date(2027, 2, 28),
        amount=Decimal("36000"),
    )
    future = datetime.date.today() + datetime.timedelta(days=30)
    factories.transaction(activity=activity, amount=Decimal("7"), date=future)
    document = export(world["reader"])
    assert failures(document) == []
    (node,) = etree.fromstring(document).xpath(
        f"//iati-activity[iati-identifier='XM-DAC-4-{activity.pk}']"
    )
    periods = [
        (b.xpath("period-start/@iso-date")[0], b.xpath("period-end/@iso-date")[0])
        for b in node.xpath("budget")
    ]
    assert periods == [
        ("2024-03-01", "2025-02-28"),
        ("2025-03-01", "2026-02-28"),
        ("2026-03-01", "2027-02-28"),
    ]
    assert sum(Decimal(v) for v in node.xpath("budget/value/text()")) == Decimal("36000")
    assert future.isoformat() not in document.decode()


def test_organisation_identifiers_need_a_registration_agency() -> None:
    validate_org_ref("XM-DAC-4")
    validate_org_ref("US-GOV-7")
    validate_org_ref("GB-COH-01234567")
    for wrong in ("XI-LIAISON-mcd", "XM-DAC", "FR 123", "XM-DAC-4/1", "DCSD"):
        with pytest.raises(ValidationError):
            validate_org_ref(wrong)
    workspace = factories.workspace(slug="w", name="W", iati_ref="XI-LIAISON-w")
    with pytest.raises(ValidationError):
        workspace.full_clean()


def test_without_an_identifier_a_workspace_reports_nothing(tmp_path: Path) -> None:
    bare = factories.workspace(slug="bare", name="Bare")
    user = factories.user(username="bare-viewer")
    factories.membership(user=user, workspace=bare, role=Role.VIEWER)
    activity = factories.activity(owner=bare, title="Action", planned_start=DAY)
    factories.activity_place(activity=activity, country=factories.country("ML"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="no activity"):
        call_command("export", "iati", "--user", "bare-viewer", stderr=err)
    assert "has no IATI organisation identifier" in err.getvalue()
    with pytest.raises(CommandError, match="not an IATI organisation identifier"):
        call_command("export", "iati", "--user", "bare-viewer", "--reporting-org", "XI-LIAISON-x")
    out = tmp_path / "a.xml"
    call_command(
        "export",
        "iati",
        "--user",
        "bare-viewer",
        "--reporting-org",
        "XM-DAC-4",
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    assert failures(out.read_bytes()) == []


@pytest.fixture(scope="module")
def synth_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The small synthetic world, made once for the module; rolled back after it."""
    from django.db import transaction

    from liaison.demo.synth import synthesize

    with django_db_blocker.unblock(), transaction.atomic():
        synthesize("small", 5, lambda line: None)
        yield
        transaction.set_rollback(True)


def test_the_synthetic_world_passes_the_ruleset(synth_world: None, tmp_path: Path) -> None:
    for username in ("mcd-ml-synth-viewer", "osc-ne-synth-viewer"):
        out = tmp_path / f"{username}.xml"
        call_command("export", "iati", "--user", username, "--out", str(out), stderr=io.StringIO())
        document = out.read_bytes()
        assert len(etree.fromstring(document)) > 10
        assert failures(document) == []


def test_the_demo_passes_the_ruleset() -> None:
    """The demo's activities: each goes out valid, or is left out with its reason (the
    demo's sources give most of them no date, and none is made up)."""
    from liaison.core.models import Workspace
    from liaison.demo.loader import load_demo

    load_demo()
    for slug in ("mcd-mali", "osc-mali"):
        viewer = factories.user()
        factories.membership(user=viewer, workspace=Workspace.objects.get(slug=slug))
        activities = iati.activities_for(viewer)
        result = iati.export(activities, viewer)
        document = iati.to_bytes(result.root)
        assert len(result.root) + len({o.activity for o in result.omissions}) >= len(
            {a.title for a in activities}
        )
        if len(result.root):
            assert failures(document) == []
        assert "XI-LIAISON" not in document.decode()
        for omission in result.omissions:
            assert omission.reason.startswith(
                ("no start date is known", "no recipient country is known", "a transaction of")
            )
