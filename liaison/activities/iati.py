"""Activities as IATI 2.03 activity XML (`liaison export iati`).

Only what the user may see goes out: the activities from `visible_to(user)`, their child
records (participating organisations, places, budget lines, transactions, objectives and
indicators) through the same rule, and no name of a linked organisation or activity the
user may not see (a transaction's provider, a parent programme...): such an element is
left out rather than written with a withheld name. The schema files of IATI 2.03 are in
`iati_schema/` (see its SOURCES.md); `validate` checks a document against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from lxml import etree

from liaison.activities.choices import (
    IATI_ACTIVITY_STATUS_CODE,
    BudgetKind,
    ParticipationRole,
    TransactionType,
)
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    BudgetLine,
    Indicator,
    Objective,
    Transaction,
)
from liaison.core.links import Withheld
from liaison.core.models import Workspace
from liaison.core.querysets import visible

IATI_VERSION = "2.03"
SCHEMA_DIR = Path(__file__).parent / "iati_schema"

# IATI OrganisationRole codes; beneficiaries have no participating-org role in IATI.
ROLE_CODE: dict[str, str] = {
    ParticipationRole.FUNDING: "1",
    ParticipationRole.ACCOUNTABLE: "2",
    ParticipationRole.EXTENDING: "3",
    ParticipationRole.IMPLEMENTING: "4",
}
# IATI TransactionType codes.
TRANSACTION_CODE: dict[str, str] = {
    TransactionType.INCOMING_FUNDS: "1",
    TransactionType.COMMITMENT: "2",
    TransactionType.DISBURSEMENT: "3",
    TransactionType.EXPENDITURE: "4",
}
STATUS_CODE: dict[str, str] = {str(k): v for k, v in IATI_ACTIVITY_STATUS_CODE.items()}
BUDGET_TYPE: dict[str, str] = {BudgetKind.ORIGINAL: "1", BudgetKind.REVISED: "2"}
# IATI OrganisationType code 10: government; a mission reports as its government's office.
REPORTING_ORG_TYPE = "10"


def reporting_ref(workspace: Workspace) -> str:
    """The reporting organisation's identifier when none is given: the workspace's."""
    return f"XI-LIAISON-{workspace.slug}"


def _narrative(parent: Any, text: str) -> None:
    etree.SubElement(parent, "narrative").text = text


def _text_element(parent: Any, tag: str, text: str, **attrs: str) -> Any:
    element = etree.SubElement(parent, tag, **attrs)
    _narrative(element, text)
    return element


def _day(value: dt.date) -> str:
    return value.isoformat()


def _amount(value: Any) -> str:
    return f"{value:.2f}"


def _org_name(org: Any) -> str | None:
    """The name of a linked organisation, None if the user may not see it."""
    if org is None or isinstance(org, Withheld):
        return None
    return str(org.name or org)


def activities_for(user: Any, workspace: Workspace | None = None) -> QuerySet[Activity]:
    """The activities the user may see (of one owner workspace, if given), with the child
    records the export reads, each restricted by the same rule."""
    queryset = visible(Activity, user).select_related("owner")
    if workspace is not None:
        queryset = queryset.filter(owner=workspace)
    return queryset.order_by("pk").prefetch_related(
        Prefetch(
            "participations",
            queryset=visible(ActivityParticipation, user).order_by("role", "pk"),
        ),
        Prefetch(
            "places",
            queryset=visible(ActivityPlace, user)
            .select_related("country", "subdivision")
            .order_by("pk"),
        ),
        Prefetch("budget_lines", queryset=visible(BudgetLine, user).order_by("period_start", "pk")),
        Prefetch("transactions", queryset=visible(Transaction, user).order_by("date", "pk")),
        Prefetch("objectives", queryset=visible(Objective, user).order_by("pk")),
        Prefetch("indicators", queryset=visible(Indicator, user).order_by("pk")),
    )


def build(
    activities: Iterable[Activity],
    user: Any,
    reporting_org: tuple[str, str] | None = None,
) -> Any:
    """The `iati-activities` element. `reporting_org` is (ref, name); by default each
    activity's owner workspace reports it."""
    root = etree.Element(
        "iati-activities",
        version=IATI_VERSION,
        **{"generated-datetime": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")},
    )
    for activity in activities:
        root.append(_activity(activity, reporting_org))
    return root


def identifier(activity: Activity, reporting_org_ref: str) -> str:
    return activity.iati_identifier or f"{reporting_org_ref}-{activity.pk}"


def _activity(activity: Activity, reporting_org: tuple[str, str] | None) -> Any:
    ref, name = reporting_org or (reporting_ref(activity.owner), activity.owner.name)
    element = etree.Element(
        "iati-activity",
        **{
            "default-currency": activity.currency,
            "last-updated-datetime": activity.updated_at.astimezone(dt.UTC).isoformat(
                timespec="seconds"
            ),
        },
    )
    etree.SubElement(element, "iati-identifier").text = identifier(activity, ref)
    _text_element(element, "reporting-org", name, ref=ref, type=REPORTING_ORG_TYPE)
    _text_element(element, "title", activity.title)
    # Description type 1: general.
    _text_element(element, "description", activity.description or activity.title, type="1")
    participations = [
        p
        for p in activity.participations.all()
        if p.role in ROLE_CODE and _org_name(p.organization)
    ]
    for participation in participations:
        org = participation.organization
        # Liaison keeps no IATI organisation identifiers: organisations are named only.
        role = ROLE_CODE[participation.role]
        _text_element(element, "participating-org", _org_name(org) or "", role=role)
    if not participations:
        # IATI needs one; the reporting mission extends the activity.
        _text_element(element, "participating-org", name, ref=ref, role=ROLE_CODE["extending"])
    etree.SubElement(element, "activity-status", code=STATUS_CODE[activity.status])
    _dates(element, activity)
    places = list(activity.places.all())
    for code in dict.fromkeys(p.country.alpha2 for p in places):
        etree.SubElement(element, "recipient-country", code=code)
    for place in places:
        location = etree.SubElement(element, "location")
        # ISO 3166-2 codes are no IATI geographic vocabulary: the place is named.
        _text_element(location, "name", str(place))
    for line in activity.budget_lines.all():
        budget = etree.SubElement(element, "budget", type=BUDGET_TYPE[line.kind])
        etree.SubElement(budget, "period-start", **{"iso-date": _day(line.period_start)})
        etree.SubElement(budget, "period-end", **{"iso-date": _day(line.period_end)})
        value = etree.SubElement(
            budget, "value", currency=line.currency, **{"value-date": _day(line.period_start)}
        )
        value.text = _amount(line.amount)
    for money in activity.transactions.all():
        _transaction(element, money)
    parent = activity.parent
    if parent is not None and not isinstance(parent, Withheld):
        # RelatedActivityType 1: parent.
        etree.SubElement(element, "related-activity", ref=identifier(parent, ref), type="1")
    _results(element, activity)
    return element


def _dates(element: Any, activity: Activity) -> None:
    # ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
    dates = [
        ("1", activity.planned_start),
        ("2", activity.actual_start),
        ("3", activity.planned_end),
        ("4", activity.actual_end),
    ]
    known = [(code, day) for code, day in dates if day is not None]
    if not known:
        # IATI needs a date: the day the activity was recorded stands as planned start.
        known = [("1", activity.created_at.date())]
    for code, day in known:
        etree.SubElement(element, "activity-date", type=code, **{"iso-date": _day(day)})


def _transaction(element: Any, money: Transaction) -> None:
    node = etree.SubElement(element, "transaction")
    etree.SubElement(node, "transaction-type", code=TRANSACTION_CODE[money.transaction_type])
    etree.SubElement(node, "transaction-date", **{"iso-date": _day(money.date)})
    value = etree.SubElement(
        node, "value", currency=money.currency, **{"value-date": _day(money.date)}
    )
    value.text = _amount(money.amount)
    if money.description:
        _text_element(node, "description", money.description)
    for tag, org in (("provider-org", money.provider), ("receiver-org", money.receiver)):
        shown = _org_name(org)
        if shown:
            _text_element(node, tag, shown)


def _results(element: Any, activity: Activity) -> None:
    """Each objective is an IATI result (type 2, outcome) with its indicators; the
    indicators of no objective form one more result."""
    indicators = list(activity.indicators.all())
    groups: list[tuple[str, list[Indicator]]] = []
    for objective in activity.objectives.all():
        mine = [i for i in indicators if i.objective_id == objective.pk]
        if mine:
            groups.append((objective.text, mine))
    objectives = {o.pk for o in activity.objectives.all()}
    loose = [i for i in indicators if i.objective_id not in objectives]
    if loose:
        groups.append((activity.title, loose))
    for title, members in groups:
        result = etree.SubElement(element, "result", type="2")
        _text_element(result, "title", title)
        for indicator in members:
            # IndicatorMeasure 1: unit; ascending unless the target is below the baseline.
            node = etree.SubElement(result, "indicator", measure="1")
            _text_element(node, "title", indicator.title)
            if indicator.baseline_year is not None:
                attrs = {"year": str(indicator.baseline_year)}
                if indicator.baseline is not None:
                    attrs["value"] = _amount(indicator.baseline)
                etree.SubElement(node, "baseline", **attrs)


def to_bytes(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


@cache
def schema() -> Any:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def validate(document: bytes) -> list[str]:
    """The schema's complaints about a document (empty when it is valid)."""
    checker = schema()
    tree = etree.fromstring(document)
    if checker.validate(tree):
        return []
    return [f"{e.line}: {e.message}" for e in checker.error_log]
