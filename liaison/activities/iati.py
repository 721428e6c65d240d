"""Activities as IATI 2.03 activity XML (`liaison export iati`).

Only what the user may see goes out: the activities from `visible_to(user)`, their child
records (participating organisations, places, budget lines, transactions, objectives and
indicators) through the same rule, and no name of a linked organisation or activity the
user may not see (a transaction's provider, a parent programme...): such an element is
left out rather than written with a withheld name. The schema files of IATI 2.03 are in
`iati_schema/` (see its SOURCES.md); `validate` checks a document against them, and
`iati_rules.check` against the IATI Standard Ruleset.

Each activity is reported by its owner workspace's registered organisation identifier
(`Workspace.iati_ref`), carries its sector (`Activity.sector`, or its type's default),
its organisations' `@ref` and `@type` when known, only the dates Liaison knows, budgets
of a year at most and the transactions that took place; an activity IATI cannot hold as
known (no identifier, no start date, no country) is left out and named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
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
# IATI OrganisationType code 10: government; a mission reports as its government's office
# unless its workspace says otherwise.
REPORTING_ORG_TYPE = "10"
# Sector vocabulary 1: OECD DAC CRS purpose codes (5 digits).
SECTOR_VOCABULARY = "1"


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    name: str
    type: str = REPORTING_ORG_TYPE


@dataclass(frozen=True)
class Omission:
    """Something the export left out, and why (the command prints them)."""

    activity: str
    reason: str

    def __str__(self) -> str:
        return _("%(activity)s: %(reason)s") % {"activity": self.activity, "reason": self.reason}


@dataclass
class Export:
    root: Any
    omissions: list[Omission] = field(default_factory=list)


def reporting_org_of(workspace: Workspace) -> ReportingOrg | None:
    """The workspace as reporting organisation; None while it has no IATI identifier
    (a made-up one would link the activities to no organisation, or to another)."""
    if not workspace.iati_ref:
        return None
    return ReportingOrg(
        workspace.iati_ref, workspace.name, workspace.iati_type or REPORTING_ORG_TYPE
    )


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


def _org_attrs(org: Any) -> dict[str, str]:
    """The @ref and @type of an organisation the user sees, when they are known."""
    attrs = {}
    if getattr(org, "iati_ref", ""):
        attrs["ref"] = org.iati_ref
    if getattr(org, "iati_type", ""):
        attrs["type"] = org.iati_type
    return attrs


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


def export(
    activities: Iterable[Activity],
    user: Any,
    reporting_org: ReportingOrg | None = None,
    today: dt.date | None = None,
) -> Export:
    """The `iati-activities` element and what was left out of it. `reporting_org`
    reports every activity; by default each activity's owner workspace reports it.

    An activity goes out only if IATI can hold it as Liaison knows it: a reporting
    organisation with a registered identifier, a start date (planned, or actual and not
    in the future) and a recipient country; otherwise it is left out and named, never
    completed with an invented value."""
    today = today or timezone.localdate()
    root = etree.Element(
        "iati-activities",
        version=IATI_VERSION,
        **{"generated-datetime": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")},
    )
    result = Export(root)
    for activity in activities:
        element = _activity(activity, reporting_org, today, result.omissions)
        if element is not None:
            root.append(element)
    return result


def build(
    activities: Iterable[Activity], user: Any, reporting_org: ReportingOrg | None = None
) -> Any:
    """The `iati-activities` element (see `export`)."""
    return export(activities, user, reporting_org).root


def identifier(activity: Activity, reporting_org_ref: str) -> str:
    """The activity's IATI identifier: the one it has if it starts with the reporting
    organisation's identifier, else that identifier followed by its own number."""
    own = activity.iati_identifier.strip()
    if own.startswith(reporting_org_ref + "-"):
        return own
    return f"{reporting_org_ref}-{own or activity.pk}"


def _recipient_countries(activity: Activity) -> list[str]:
    """Where the activity takes place: its places' countries, or failing any place, the
    countries of its beneficiary and implementing partners."""
    codes = [p.country.alpha2 for p in activity.places.all()]
    if not codes:
        for participation in activity.participations.all():
            if participation.role not in (
                ParticipationRole.BENEFICIARY,
                ParticipationRole.IMPLEMENTING,
            ):
                continue
            org = participation.organization
            if org is not None and not isinstance(org, Withheld) and org.country is not None:
                codes.append(org.country.alpha2)
    return list(dict.fromkeys(codes))


def _activity(
    activity: Activity,
    reporting_org: ReportingOrg | None,
    today: dt.date,
    omissions: list[Omission],
) -> Any:
    reporter = reporting_org or reporting_org_of(activity.owner)
    label = activity.title
    if reporter is None:
        omissions.append(
            Omission(
                label,
                _(
                    "the workspace %(workspace)s has no IATI organisation identifier "
                    "(set it in the admin, or give --reporting-org)"
                )
                % {"workspace": activity.owner.slug},
            )
        )
        return None
    dates = _dates(activity, today)
    if not any(code in ("1", "2") for code, _day in dates):
        omissions.append(Omission(label, _("no start date is known")))
        return None
    countries = _recipient_countries(activity)
    if not countries:
        omissions.append(Omission(label, _("no recipient country is known")))
        return None
    element = etree.Element(
        "iati-activity",
        **{
            "{http://www.w3.org/XML/1998/namespace}lang": settings.LANGUAGE_CODE[:2],
            "default-currency": activity.currency,
            "last-updated-datetime": min(activity.updated_at, timezone.now())
            .astimezone(dt.UTC)
            .isoformat(timespec="seconds"),
        },
    )
    etree.SubElement(element, "iati-identifier").text = identifier(activity, reporter.ref)
    _text_element(element, "reporting-org", reporter.name, ref=reporter.ref, type=reporter.type)
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
        role = ROLE_CODE[participation.role]
        _text_element(
            element, "participating-org", _org_name(org) or "", role=role, **_org_attrs(org)
        )
    if not participations:
        # IATI needs one; the reporting mission extends the activity.
        _text_element(
            element,
            "participating-org",
            reporter.name,
            ref=reporter.ref,
            type=reporter.type,
            role=ROLE_CODE["extending"],
        )
    etree.SubElement(element, "activity-status", code=STATUS_CODE[activity.status])
    for code, day in dates:
        etree.SubElement(element, "activity-date", type=code, **{"iso-date": _day(day)})
    for code, share in zip(countries, _shares(len(countries)), strict=True):
        attrs = {"percentage": share} if len(countries) > 1 else {}
        etree.SubElement(element, "recipient-country", code=code, **attrs)
    for place in activity.places.all():
        location = etree.SubElement(element, "location")
        # ISO 3166-2 codes are no IATI geographic vocabulary: the place is named.
        _text_element(location, "name", str(place))
    etree.SubElement(element, "sector", vocabulary=SECTOR_VOCABULARY, code=activity.iati_sector)
    for line in activity.budget_lines.all():
        for start, end, amount in yearly(line.period_start, line.period_end, line.amount):
            budget = etree.SubElement(element, "budget", type=BUDGET_TYPE[line.kind])
            etree.SubElement(budget, "period-start", **{"iso-date": _day(start)})
            etree.SubElement(budget, "period-end", **{"iso-date": _day(end)})
            value = etree.SubElement(
                budget, "value", currency=line.currency, **{"value-date": _day(start)}
            )
            value.text = _amount(amount)
    for money in activity.transactions.all():
        if money.date > today:
            # An IATI transaction is one that took place: a future one is a plan.
            omissions.append(
                Omission(
                    label,
                    _("a transaction of %(day)s, in the future, is not reported")
                    % {"day": _day(money.date)},
                )
            )
            continue
        _transaction(element, money)
    parent = activity.parent
    if parent is not None and not isinstance(parent, Withheld):
        # RelatedActivityType 1: parent.
        etree.SubElement(
            element, "related-activity", ref=identifier(parent, reporter.ref), type="1"
        )
    _results(element, activity)
    return element


def _shares(n: int) -> list[str]:
    """Equal percentages adding up to 100 (Liaison records no share per country)."""
    if n <= 1:
        return ["100"]
    base = (Decimal(100) / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [base] * n
    shares[-1] = Decimal(100) - base * (n - 1)
    return [str(s) for s in shares]


def _year_end(start: dt.date) -> dt.date:
    """The last day of the year that begins on `start`."""
    try:
        following = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        following = start.replace(year=start.year + 1, day=28) + dt.timedelta(days=1)
    return following - dt.timedelta(days=1)


def yearly(start: dt.date, end: dt.date, amount: Decimal) -> list[tuple[dt.date, dt.date, Decimal]]:
    """A budget line as IATI budgets of one year at most: a longer line is split into
    consecutive years, the amount spread in proportion to the days of each (to the cent,
    the last period taking what rounding leaves, so that the sum is the line's)."""
    periods: list[tuple[dt.date, dt.date]] = []
    cursor = start
    while cursor <= end:
        last = min(_year_end(cursor), end)
        periods.append((cursor, last))
        cursor = last + dt.timedelta(days=1)
    if len(periods) <= 1:
        return [(start, end, amount)]
    total_days = (end - start).days + 1
    parts: list[tuple[dt.date, dt.date, Decimal]] = []
    spent = Decimal(0)
    for index, (first, last) in enumerate(periods):
        if index == len(periods) - 1:
            share = amount - spent
        else:
            days = (last - first).days + 1
            share = (amount * days / total_days).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        spent += share
        parts.append((first, last, share))
    return parts


def _dates(activity: Activity, today: dt.date) -> list[tuple[str, dt.date]]:
    """The activity's known dates as IATI ActivityDateType codes (1 planned start,
    2 actual start, 3 planned end, 4 actual end); an actual date in the future is no
    actual date and is left out. Nothing is made up for a date that is not known."""
    actual_start = (
        activity.actual_start if activity.actual_start and activity.actual_start <= today else None
    )
    actual_end = (
        activity.actual_end
        if actual_start and activity.actual_end and activity.actual_end <= today
        else None
    )
    dates = [
        ("1", activity.planned_start),
        ("2", actual_start),
        ("3", activity.planned_end if activity.planned_start else None),
        ("4", actual_end),
    ]
    return [(code, day) for code, day in dates if day is not None]


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
            _text_element(node, tag, shown, **_org_attrs(org))


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
            if indicator.baseline_year is not None and indicator.baseline is not None:
                # A unit measure's baseline needs its value: without one it is left out.
                etree.SubElement(
                    node,
                    "baseline",
                    year=str(indicator.baseline_year),
                    value=_amount(indicator.baseline),
                )


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
