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
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from lxml import etree

from liaison.activities import iati
from liaison.activities.choices import ActivityStatus, ParticipationRole, TransactionType
from liaison.activities.models import Activity
from liaison.core.choices import Release, Role
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
    mine = factories.workspace(slug="mcd", name="MCD Mali")
    theirs = factories.workspace(slug="osc", name="OSC Mali")
    reader = factories.user(username="reader")
    factories.membership(user=reader, workspace=mine, role=Role.VIEWER)
    hidden_org = factories.organization(owner=theirs, name_fr="Unité secrète")
    donor = factories.organization(owner=mine, name_fr="DCSD")
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
    open_one = factories.activity(owner=theirs, title="Action ouverte", release=Release.OPEN)
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
    (activity,) = tree.xpath(
        f"//iati-activity[iati-identifier='XI-LIAISON-mcd-{world['activity'].pk}']"
    )
    assert activity.xpath("participating-org/@role") == ["1"]
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
