"""The figures of the analysis pages, the map and the PDF report.

Every figure starts from the records the user may see, filtered by the very filterset of
the list it summarises (the same query string filters both: each row links to the list
with the filters it was computed under). A linked record the user may not see (a donor,
a school, a host unit) is counted under one "(not released to you)" row, never named.

`Figure.data` holds the raw numbers by stable key (a code, a primary key, a year) for
tests and exports; the chart and the table are drawn from it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf, Substr
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from liaison.activities.choices import (
    ActivityStatus,
    ActivityType,
    BudgetKind,
    ParticipationRole,
    TransactionType,
)
from liaison.activities.filtersets import ActivityFilterSet, AssignmentFilterSet
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Assignment,
    BudgetLine,
    Transaction,
)
from liaison.activities.queries import DONOR_ROLES
from liaison.core.links import Withheld
from liaison.core.models import period_bounds
from liaison.core.querysets import visible
from liaison.events.dates import period_display
from liaison.events.filtersets import EventFilterSet, overlapping_dates
from liaison.events.models import ContextEvent, Event, Participant
from liaison.geo.models import Country, Subdivision
from liaison.partners.choices import OrganizationKind
from liaison.partners.models import Organization
from liaison.reports import charts
from liaison.training.filtersets import SessionFilterSet
from liaison.training.models import Course, Enrollment, School, Session

HIDDEN = "hidden"  # the key under which what the user may not see is counted
NONE = "none"  # the key of "not recorded"
MAX_YEARS = 40
# Words that mark a course or an event as law-of-armed-conflict training.
LOAC_WORDS = (
    "conflits armés",
    "conflit armé",
    "armed conflict",
    "droit international humanitaire",
    "international humanitarian law",
    "LOAC",
    "DIH",
    "IHL",
)
# The kinds of organisation that count as partner units for training coverage.
UNIT_KINDS = (OrganizationKind.UNIT, OrganizationKind.ARMED_FORCE, OrganizationKind.DIRECTORATE)


@dataclass
class Cell:
    text: str
    url: str = ""
    num: bool = False


@dataclass
class Figure:
    key: str
    title: str
    chart: SafeString
    headers: list[str]
    rows: list[list[Cell]]
    data: dict[Any, Any] = field(default_factory=dict)
    note: str = ""


# --- Filters shared with the lists --------------------------------------------------


def params_of(source: Any) -> QueryDict:
    if isinstance(source, QueryDict):
        return source.copy()
    query = QueryDict(mutable=True)
    for key, value in (source or {}).items():
        if isinstance(value, list | tuple):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    return query


def filtered(
    filterset_class: Any, model: type[Any], user: Any, params: QueryDict
) -> tuple[Any, QuerySet[Any]]:
    """The filterset of `model`'s list bound to `params`, and the rows it keeps (none when
    the filters do not validate, as on the list)."""
    base = visible(model, user)
    data = params if params else None
    filterset = filterset_class(data, queryset=base, request=SimpleNamespace(user=user, GET=data))
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none()
    return filterset, rows


def list_url(name: str, params: QueryDict, **changes: Any) -> str:
    """The list `name` with the current filters and `changes` (a value, a list or None)."""
    query = params.copy()
    for key in ("page", "sort", "export", "year", "lang"):
        query.pop(key, None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    encoded = query.urlencode()
    return f"{reverse(name)}?{encoded}" if encoded else reverse(name)


# --- Helpers --------------------------------------------------------------------------


def _withheld() -> str:
    return str(Withheld(None))


def _not_recorded() -> str:
    return _("Not recorded")


# A figure counting records by a linked record (beneficiaries, regions, courses) draws
# the largest this many and one row for the rest, so that it stays readable and weighs
# the same however many there are (its data keeps them all).
MAX_BARS = 40
REST = "rest"  # the key of that last row


def _count_rows(
    counts: dict[Any, int], labels: dict[Any, str], urls: dict[Any, str] | None = None
) -> tuple[list[charts.Bar], list[list[Cell]]]:
    urls = urls or {}
    order = sorted(counts, key=lambda k: (-counts[k], labels.get(k, "")))
    if len(order) > MAX_BARS:
        rest = order[MAX_BARS - 1 :]
        counts = {
            **{k: counts[k] for k in order[: MAX_BARS - 1]},
            REST: sum(counts[k] for k in rest),
        }
        labels = {
            **labels,
            REST: ngettext("%(n)s other", "%(n)s others", len(rest)) % {"n": len(rest)},
        }
        order = [*order[: MAX_BARS - 1], REST]
    bars = [charts.Bar(labels.get(k, str(k)), counts[k], urls.get(k, "")) for k in order]
    table = [
        [Cell(labels.get(k, str(k)), urls.get(k, "")), Cell(charts.number(counts[k]), num=True)]
        for k in order
    ]
    return bars, table


def count_figure(
    key: str,
    title: str,
    header: str,
    counts: dict[Any, int],
    labels: dict[Any, str],
    urls: dict[Any, str] | None = None,
    note: str = "",
    value_header: str = "",
) -> Figure:
    bars, table = _count_rows(counts, labels, urls)
    return Figure(
        key,
        title,
        charts.bars(title, bars),
        [header, value_header or _("Number")],
        table,
        dict(counts),
        note,
    )


def subdivision_label(subdivision: Subdivision) -> str:
    if (get_language() or "fr").startswith("fr") and subdivision.name_fr:
        return subdivision.name_fr
    return subdivision.name


def org_labels(user: Any, ids: Iterable[Any]) -> dict[Any, str]:
    """Names of the organisations `ids` the user may see; the others are not named."""
    ids = [i for i in ids if i not in (None, HIDDEN, NONE)]
    return {o.pk: str(o) for o in visible(Organization, user).filter(pk__in=ids)}


def _split_hidden(counts: dict[Any, int], shown: dict[Any, str]) -> dict[Any, int]:
    """Counts of records the user may not see merged under HIDDEN."""
    merged: dict[Any, int] = Counter()
    for key, n in counts.items():
        merged[key if key in shown or key in (NONE,) else HIDDEN] += n
    return dict(merged)


def years_active(start: dt.date | None, end: dt.date | None, until: int) -> range:
    if start is None:
        return range(0)
    last = end.year if end else max(start.year, until)
    return range(start.year, min(last, start.year + MAX_YEARS) + 1)


# --- Portfolio ---------------------------------------------------------------------------


def activity_span(a: Any) -> tuple[dt.date | None, dt.date | None]:
    """Actual dates first, else planned, else the bounds of the period the sources give."""
    start = a.actual_start or a.planned_start
    if start is None:
        return period_bounds(a.period) or (None, None)
    end = a.actual_end or a.planned_end or start
    return start, end


# Activities with neither a day nor a period: what no chart over time can place.
UNDATED = Q(planned_start__isnull=True, actual_start__isnull=True, period="")


def portfolio(
    user: Any,
    params: Any,
    activities: QuerySet[Any] | None = None,
    years: range | None = None,
) -> dict[str, Any]:
    """The portfolio figures of the activities the list's filters keep (or of
    `activities`, already restricted to what the user sees); `years`: the only years the
    figures over time show (a yearly report's)."""
    params = params_of(params)
    filterset = None
    if activities is None:
        filterset, activities = filtered(ActivityFilterSet, Activity, user, params)
    figures = [
        by_type(activities, params),
        by_status(activities, params),
        by_participant(user, activities, params, DONOR_ROLES, "donor"),
        by_participant(user, activities, params, (ParticipationRole.BENEFICIARY,), "beneficiary"),
        by_region(activities, params),
        over_time(activities, years),
        *budget_figures(activities, years),
        timeline_figure(user, activities, years=years),
    ]
    return {"filter": filterset, "figures": figures, "count": activities.count()}


def by_type(activities: QuerySet[Any], params: QueryDict) -> Figure:
    counts = dict(
        activities.order_by().values_list("activity_type").annotate(n=Count("pk", distinct=True))
    )
    labels = {t.value: str(t.label) for t in ActivityType}
    urls = {k: list_url("activities:activity_list", params, activity_type=k) for k in counts}
    return count_figure(
        "type",
        _("Activities by type"),
        _("Type"),
        counts,
        labels,
        urls,
        value_header=_("Activities"),
    )


def by_status(activities: QuerySet[Any], params: QueryDict) -> Figure:
    counts = dict(
        activities.order_by().values_list("status").annotate(n=Count("pk", distinct=True))
    )
    labels = {s.value: str(s.label) for s in ActivityStatus}
    urls = {k: list_url("activities:activity_list", params, status=k) for k in counts}
    return count_figure(
        "status",
        _("Activities by status"),
        _("Status"),
        counts,
        labels,
        urls,
        value_header=_("Activities"),
    )


def by_participant(
    user: Any, activities: QuerySet[Any], params: QueryDict, roles: Iterable[str], name: str
) -> Figure:
    links = ActivityParticipation.objects.filter(
        activity__in=activities.values("pk"), role__in=roles
    )
    raw = dict(
        links.order_by().values_list("organization").annotate(n=Count("activity", distinct=True))
    )
    labels = org_labels(user, raw)
    counts: dict[Any, int] = {k: n for k, n in raw.items() if k in labels}
    withheld = [k for k in raw if k not in labels]
    if withheld:  # activities, each once, however many unreleased organisations it has
        counts[HIDDEN] = (
            links.filter(organization__in=withheld).values("activity").distinct().count()
        )
    urls = {k: list_url("activities:activity_list", params, **{name: k}) for k in labels}
    labels[HIDDEN] = _withheld()
    if name == "donor":
        title, header = _("Activities by donor"), _("Donor")
    else:
        title, header = _("Activities by beneficiary"), _("Beneficiary")
    return count_figure(name, title, header, counts, labels, urls, value_header=_("Activities"))


def by_region(activities: QuerySet[Any], params: QueryDict) -> Figure:
    places = ActivityPlace.objects.filter(activity__in=activities.values("pk"))
    raw = dict(
        places.order_by().values_list("subdivision").annotate(n=Count("activity", distinct=True))
    )
    counts = {(k if k is not None else NONE): n for k, n in raw.items()}
    subdivisions = Subdivision.objects.filter(pk__in=[k for k in counts if k != NONE])
    labels: dict[Any, str] = {s.pk: subdivision_label(s) for s in subdivisions}
    urls = {k: list_url("activities:activity_list", params, region=k) for k in labels}
    labels[NONE] = _("Whole country (no region given)")
    placed = places.values("activity")
    unplaced = activities.exclude(pk__in=placed).count()
    note = (
        ngettext(
            "%(n)s activity has no place recorded.",
            "%(n)s activities have no place recorded.",
            unplaced,
        )
        % {"n": charts.number(unplaced)}
        if unplaced
        else ""
    )
    return count_figure(
        "region",
        _("Activities by region"),
        _("Region"),
        counts,
        labels,
        urls,
        note,
        _("Activities"),
    )


def _year_matrix(
    per_year: dict[tuple[Any, int], int], keys: list[Any], labels: dict[Any, str]
) -> tuple[list[int], charts.Columns, list[list[Cell]]]:
    years = sorted({y for _, y in per_year})
    if years:
        years = list(range(years[0], years[-1] + 1))
    data = charts.Columns([str(y) for y in years])
    rows = []
    for key in keys:
        values = [per_year.get((key, y), 0) for y in years]
        data.series.append(charts.Series(labels.get(key, str(key)), values))
        rows.append(
            [Cell(labels.get(key, str(key)))]
            + [Cell(charts.number(v), num=True) for v in values]
            + [Cell(charts.number(sum(values)), num=True)]
        )
    return years, data, rows


def over_time(activities: QuerySet[Any], within: range | None = None) -> Figure:
    """Activities under way each year (from start to end, actual dates first), by type."""
    per_year: dict[tuple[Any, int], int] = Counter()
    undated = 0
    # Counted by the database per type and span of years (activity_span's dates, or the
    # period's year when only that is known), so that the rows read are bounded by the
    # years, not by the activities.
    start = Coalesce("actual_start", "planned_start")
    period_year = Cast(Substr(NullIf("period", Value("")), 1, 4), IntegerField())
    spans = (
        activities.order_by()
        .annotate(
            first=Coalesce(ExtractYear(start), period_year),
            last=Coalesce(ExtractYear(Coalesce("actual_end", "planned_end", start)), period_year),
        )
        .values_list("activity_type", "first", "last")
        .annotate(n=Count("pk", distinct=True))
    )
    for activity_type, first, last, n in spans:
        if first is None:
            undated += n
            continue
        for year in range(first, min(last, first + MAX_YEARS) + 1):
            if within is None or year in within:
                per_year[(activity_type, year)] += n
    keys = [t.value for t in ActivityType if any(k == t.value for k, _ in per_year)]
    labels = {t.value: str(t.label) for t in ActivityType}
    years, data, rows = _year_matrix(per_year, keys, labels)
    title = _("Activities under way each year, by type")
    note = (
        ngettext(
            "%(n)s activity without dates is not shown.",
            "%(n)s activities without dates are not shown.",
            undated,
        )
        % {"n": charts.number(undated)}
        if undated
        else ""
    )
    return Figure(
        "over_time",
        title,
        charts.columns(title, data),
        [_("Type"), *[str(y) for y in years], _("Total")],
        rows,
        dict(per_year),
        note,
    )


def budget_totals(activities: QuerySet[Any]) -> dict[tuple[str, int, str], Decimal]:
    """{(currency, year, measure): amount}: the budget (the revised lines of an activity
    that has any, else its original ones), commitments and disbursements (with
    expenditure) per year of the budget period's start or of the transaction."""
    totals: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    ids = activities.values("pk")
    lines = BudgetLine.objects.filter(activity__in=ids)
    # The revised lines of the activities that have any, else their original ones:
    # summed by the database, per currency and year.
    revised = BudgetLine.objects.filter(activity=OuterRef("activity"), kind=BudgetKind.REVISED)
    budget = lines.filter(
        Q(kind=BudgetKind.REVISED) | Q(kind=BudgetKind.ORIGINAL) & ~Exists(revised)
    )
    for row in (
        budget.order_by()
        .annotate(year=ExtractYear("period_start"))
        .values("currency", "year")
        .annotate(total=Sum("amount"))
    ):
        totals[(row["currency"], row["year"], "budget")] += row["total"]
    measures: dict[str, str] = {
        TransactionType.COMMITMENT: "committed",
        TransactionType.DISBURSEMENT: "disbursed",
        TransactionType.EXPENDITURE: "disbursed",
    }
    for money in (
        Transaction.objects.filter(activity__in=ids, transaction_type__in=list(measures))
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("transaction_type", "currency", "year")
        .annotate(total=Sum("amount"))
    ):
        key = (money["currency"], money["year"], measures[money["transaction_type"]])
        totals[key] += money["total"]
    return dict(totals)


def budget_figures(activities: QuerySet[Any], within: range | None = None) -> list[Figure]:
    """Budget against commitments and disbursements per year, one figure per currency
    (amounts in different currencies are never added)."""
    totals = budget_totals(activities)
    if within is not None:
        totals = {key: amount for key, amount in totals.items() if key[1] in within}
    currencies = sorted({c for c, _, _ in totals})
    names = {"budget": _("Budget"), "committed": _("Committed"), "disbursed": _("Disbursed")}
    figures = []
    for currency in currencies or ["EUR"]:
        years = sorted({y for c, y, _ in totals if c == currency})
        if years:
            years = list(range(years[0], years[-1] + 1))
        data = charts.Columns([str(y) for y in years])
        for measure, name in names.items():
            values = [float(totals.get((currency, y, measure), 0)) for y in years]
            data.series.append(charts.Series(name, values))
        title = _("Budget against disbursement (%(currency)s)") % {"currency": currency}
        rows = [
            [Cell(str(y))]
            + [Cell(charts.number(totals.get((currency, y, m), 0), 2), num=True) for m in names]
            for y in years
        ]
        figures.append(
            Figure(
                f"budget-{currency}",
                title,
                charts.columns(title, data, stacked=False, unit=currency),
                [_("Year"), *[str(n) for n in names.values()]],
                rows,
                {(y, m): totals.get((currency, y, m), Decimal(0)) for y in years for m in names},
                _("Budget: revised lines where an activity has any, else the original ones."),
            )
        )
    return figures


def context_span(c: Any) -> tuple[dt.date, dt.date] | None:
    from liaison.reports.calendar import _period_dates

    return _period_dates(c)


def timeline_figure(
    user: Any, activities: QuerySet[Any], limit: int = 40, years: range | None = None
) -> Figure:
    spans = []
    # A record known only to the month or year shows that, not the bounds drawn for it.
    as_known: dict[int, str] = {}
    for a in activities.exclude(UNDATED).order_by("planned_start", "actual_start", "pk")[:limit]:
        start, end = activity_span(a)
        if start and end:
            spans.append(charts.Span(a.title, start, end, a.get_absolute_url()))
            if not (a.actual_start or a.planned_start):
                as_known[id(spans[-1])] = period_display(a.period)
    contexts = []
    context_events = visible(ContextEvent, user).order_by("start_date", "period", "pk")
    if years:  # a yearly report: the context of its years, whatever its activities
        window = SimpleNamespace(start=dt.date(years[0], 1, 1), stop=dt.date(years[-1], 12, 31))
        context_events = overlapping_dates(context_events, window)
    for c in context_events[:limit]:
        dates = context_span(c)
        if dates:
            contexts.append(charts.Span(str(c), *dates, url=c.get_absolute_url()))
            if c.start_date is None:
                as_known[id(contexts[-1])] = period_display(c.period)
    if spans:  # the context of the years the activities cover, and no more
        first, last = min(s.start for s in spans).year, max(s.end for s in spans).year
        contexts = [c for c in contexts if c.end.year >= first and c.start.year <= last]
    title = _("Activities against the context")

    def known_dates(span: charts.Span) -> list[Cell]:
        if id(span) in as_known:
            return [Cell(as_known[id(span)]), Cell("")]
        return [Cell(_date(span.start)), Cell(_date(span.end))]

    rows = [[Cell(_("Context")), Cell(c.label, c.url), *known_dates(c)] for c in contexts] + [
        [Cell(_("Activity")), Cell(s.label, s.url), *known_dates(s)] for s in spans
    ]
    return Figure(
        "timeline",
        title,
        charts.timeline(title, spans, contexts),
        [_("Kind"), _("Title"), _("From"), _("To")],
        rows,
        {"activities": [s.label for s in spans], "contexts": [c.label for c in contexts]},
        _("Undated activities and context events are not shown."),
    )


def _date(day: dt.date | None) -> str:
    from django.utils.formats import date_format

    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


# --- Training ----------------------------------------------------------------------------


def training(user: Any, params: Any) -> dict[str, Any]:
    params = params_of(params)
    filterset, sessions = filtered(SessionFilterSet, Session, user, params)
    enrolments = Enrollment.objects.filter(session__in=sessions.values("pk")).exclude(
        status=Enrollment.Status.WITHDRAWN
    )
    figures = [
        trainees_by_nationality(enrolments, params),
        trainees_by_school(user, enrolments, params),
        trainees_by_course(user, enrolments, params),
        trainees_by_year(enrolments, params),
        loac_coverage(user, sessions, params),
    ]
    return {
        "filter": filterset,
        "figures": figures,
        "count": sessions.count(),
        "trainees": enrolments.count(),
    }


def trainees_by_nationality(enrolments: QuerySet[Any], params: QueryDict) -> Figure:
    raw = dict(enrolments.order_by().values_list("nationality").annotate(n=Count("pk")))
    counts = {(k if k is not None else NONE): n for k, n in raw.items()}
    labels: dict[Any, str] = {
        c.pk: c.name for c in Country.objects.filter(pk__in=[k for k in counts if k != NONE])
    }
    urls = {k: list_url("training:session_list", params, nationality=k) for k in labels}
    labels[NONE] = _not_recorded()
    return count_figure(
        "nationality",
        _("Trainees by nationality"),
        _("Nationality"),
        counts,
        labels,
        urls,
        value_header=_("Trainees"),
    )


def trainees_by_school(user: Any, enrolments: QuerySet[Any], params: QueryDict) -> Figure:
    """Every school the user sees (those without trainees too), and the trainees of each."""
    raw = dict(enrolments.order_by().values_list("session__course__school").annotate(n=Count("pk")))
    schools = visible(School, user).select_related("organization")
    if params.getlist("school"):
        schools = schools.filter(pk__in=[v for v in params.getlist("school") if v.isdigit()])
    if params.get("regional") in ("true", "True", "1"):
        schools = schools.filter(is_regional=True)
    labels: dict[Any, str] = {}
    hidden_orgs = set(
        schools.exclude(organization__in=visible(Organization, user).values("pk")).values_list(
            "pk", flat=True
        )
    )
    for school in schools:
        labels[school.pk] = _withheld() if school.pk in hidden_orgs else str(school.organization)
    counts: dict[Any, int] = {pk: raw.get(pk, 0) for pk in labels}
    hidden = sum(n for pk, n in raw.items() if pk not in labels)
    if hidden:
        counts[HIDDEN] = hidden
        labels[HIDDEN] = _withheld()
    urls = {k: list_url("training:session_list", params, school=k) for k in labels if k != HIDDEN}
    return count_figure(
        "school",
        _("Trainees by school"),
        _("School"),
        counts,
        labels,
        urls,
        value_header=_("Trainees"),
    )


def trainees_by_course(user: Any, enrolments: QuerySet[Any], params: QueryDict) -> Figure:
    raw = dict(enrolments.order_by().values_list("session__course").annotate(n=Count("pk")))
    # A course is named with its school: courses of several schools share titles.
    courses = visible(Course, user).filter(pk__in=list(raw)).select_related("school__organization")
    schools = set(visible(School, user).values_list("pk", flat=True))
    shown = set(visible(Organization, user).values_list("pk", flat=True))
    labels: dict[Any, str] = {}
    for c in courses:
        school = c.school.organization if c.school_id in schools else None
        where = (school.acronym or school.name) if school and school.pk in shown else ""
        labels[c.pk] = f"{c} ({where})" if where else str(c)
    counts = _split_hidden(raw, labels)
    urls = {k: list_url("training:session_list", params, course=k) for k in labels}
    labels[HIDDEN] = _withheld()
    return count_figure(
        "course",
        _("Trainees by course"),
        _("Course"),
        counts,
        labels,
        urls,
        value_header=_("Trainees"),
    )


def trainees_by_year(enrolments: QuerySet[Any], params: QueryDict) -> Figure:
    raw = dict(
        enrolments.order_by()
        .annotate(year=ExtractYear("session__start_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    counts = {(k if k is not None else NONE): n for k, n in raw.items()}
    years = sorted(k for k in counts if k != NONE)
    data = charts.Columns([str(y) for y in years], [charts.Series(_("Trainees"), [])])
    data.series[0].values = [counts[y] for y in years]
    title = _("Trainees by year of their session")
    rows = [
        [
            Cell(
                str(y),
                list_url(
                    "training:session_list",
                    params,
                    dates_after=f"{y}-01-01",
                    dates_before=f"{y}-12-31",
                ),
            ),
            Cell(charts.number(counts[y]), num=True),
        ]
        for y in years
    ]
    if NONE in counts:
        rows.append([Cell(_("Undated sessions")), Cell(charts.number(counts[NONE]), num=True)])
    return Figure(
        "year",
        title,
        charts.columns(title, data),
        [_("Year"), _("Trainees")],
        rows,
        counts,
    )


def loac_condition(field_name: str = "topic") -> Q:
    condition = Q(pk__in=[])
    for word in LOAC_WORDS:
        condition |= Q(**{f"{field_name}__icontains": word})
    return condition


def partner_country(user: Any) -> Country | None:
    """The country most of the beneficiaries of the user's activities belong to."""
    links = visible(ActivityParticipation, user).filter(role=ParticipationRole.BENEFICIARY)
    row = (
        visible(Organization, user)
        .filter(pk__in=links.values("organization"), country__isnull=False)
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
        .first()
    )
    return Country.objects.filter(pk=row["country"]).first() if row else None


def loac_coverage(user: Any, sessions: QuerySet[Any], params: QueryDict | None = None) -> Figure:
    """Partner units (units, branches, directorates of the partner country) reached by
    law-of-armed-conflict training: a trainee of theirs in a session of a LOAC course,
    a participation in a LOAC event, or beneficiary of the activity a LOAC event served."""
    country = partner_country(user)
    units = visible(Organization, user).filter(kind__in=UNIT_KINDS)
    units = units.filter(country=country) if country else units.none()
    through: dict[int, set[str]] = defaultdict(set)
    loac_courses = visible(Course, user).filter(loac_condition())
    for unit in (
        Enrollment.objects.filter(
            session__in=sessions.filter(course__in=loac_courses).values("pk"), unit__isnull=False
        )
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .values_list("unit", flat=True)
    ):
        through[unit].add(_("trainees"))
    # The events of the dates asked for, as the sessions are (a yearly report's year).
    events = filtered(EventFilterSet, Event, user, params or QueryDict())[1]
    events = events.filter(loac_condition())
    for unit in Participant.objects.filter(
        event__in=events.values("pk"), organization__isnull=False
    ).values_list("organization", flat=True):
        through[unit].add(_("event"))
    served = visible(Activity, user).filter(pk__in=events.values("activity"))
    for unit in ActivityParticipation.objects.filter(
        activity__in=served.values("pk"), role=ParticipationRole.BENEFICIARY
    ).values_list("organization", flat=True):
        through[unit].add(_("beneficiary"))
    rows, covered = [], 0
    for unit in units.order_by("name_fr", "name_en"):
        ways = sorted(through.get(unit.pk, ()))
        covered += bool(ways)
        rows.append(
            [
                Cell(str(unit), unit.get_absolute_url()),
                Cell(unit.get_kind_display()),
                Cell(_("Yes") if ways else _("No")),
                Cell(", ".join(ways)),
            ]
        )
    total = len(rows)
    title = _("Partner units reached by law-of-armed-conflict training")
    chart = charts.bars(
        title, [charts.Bar(_("Reached"), covered), charts.Bar(_("Not reached"), total - covered)]
    )
    share = charts.percent(covered / total) if total else "—"
    note = _(
        "%(covered)s of %(total)s units, branches and directorates of %(country)s (%(share)s). "
        "A course or an event is on the law of armed conflict when its topic says so."
    ) % {
        "covered": charts.number(covered),
        "total": charts.number(total),
        "country": country.name if country else "—",
        "share": share,
    }
    return Figure(
        "loac",
        title,
        chart,
        [_("Unit"), _("Kind"), _("Reached"), _("Through")],
        rows,
        {"covered": covered, "total": total, "units": {r[0].text for r in rows}},
        note,
    )


# --- Advisors ------------------------------------------------------------------------------

TOP_ORGANISATIONS = 6


def advisors(user: Any, params: Any, years: range | None = None) -> dict[str, Any]:
    params = params_of(params)
    filterset, assignments = filtered(AssignmentFilterSet, Assignment, user, params)
    return {
        "filter": filterset,
        "figures": [advisors_over_time(user, assignments, params, years)],
        "count": assignments.count(),
    }


def advisors_over_time(
    user: Any, assignments: QuerySet[Any], params: QueryDict, within: range | None = None
) -> Figure:
    """Advisors (distinct persons) posted in each partner organisation, year by year; an
    open-ended posting counts up to the current year."""
    this_year = timezone.localdate().year
    persons: dict[tuple[Any, int], set[int]] = defaultdict(set)
    undated = 0
    for org, person, start, end in assignments.order_by().values_list(
        "organization", "person", "start_date", "end_date"
    ):
        span = years_active(start, end, this_year)
        undated += not span
        for year in span:
            if within is None or year in within:
                persons[(org, year)].add(person)
    labels = org_labels(user, {org for org, _ in persons})
    per_year: dict[tuple[Any, int], int] = Counter()
    for (org, year), who in persons.items():
        key = org if org in labels else HIDDEN
        per_year[(key, year)] += len(who)
    totals: Counter[Any] = Counter()
    for (key, _year), n in per_year.items():
        totals[key] += n
    ranked = [k for k, _ in totals.most_common() if k != HIDDEN]
    keys = ranked[:TOP_ORGANISATIONS]
    if len(ranked) > TOP_ORGANISATIONS or HIDDEN in totals:
        other = "other"
        for (key, year), n in list(per_year.items()):
            if key not in keys:
                per_year[(other, year)] += n
        keys.append(other)
        labels[other] = (
            _("Other organisations")
            if HIDDEN not in totals
            else _("Others, and those not released to you")
        )
    shown = {k: v for k, v in per_year.items() if k[0] in keys}
    years, data, rows = _year_matrix(shown, keys, labels)
    for row, key in zip(rows, keys, strict=True):
        if key in labels and isinstance(key, int):
            row[0].url = list_url("activities:assignment_list", params, organization=key)
    title = _("Advisors by partner organisation, year by year")
    note = (
        ngettext(
            "%(n)s posting without a start date is not shown.",
            "%(n)s postings without a start date are not shown.",
            undated,
        )
        % {"n": charts.number(undated)}
        if undated
        else ""
    )
    return Figure(
        "advisors",
        title,
        charts.columns(title, data),
        [_("Host organisation"), *[str(y) for y in years], _("Total")],
        rows,
        {k: v for k, v in per_year.items() if k[0] != "other"},
        note,
    )


# --- Map ---------------------------------------------------------------------------------


def by_subdivision(
    user: Any, params: Any, activities: QuerySet[Any] | None = None
) -> dict[str, dict[int, int]]:
    """{kind: {subdivision id: records}} for activities (their places), events and
    sessions (their school's region), each filtered as its list is."""
    params = params_of(params)
    if activities is None:
        _fs, activities = filtered(ActivityFilterSet, Activity, user, params)
    _fs, events = filtered(EventFilterSet, Event, user, params)
    _fs, sessions = filtered(SessionFilterSet, Session, user, params)
    places = ActivityPlace.objects.filter(
        activity__in=activities.values("pk"), subdivision__isnull=False
    )
    return {
        "activities": dict(
            places.order_by()
            .values_list("subdivision")
            .annotate(n=Count("activity", distinct=True))
        ),
        "events": dict(
            events.filter(subdivision__isnull=False)
            .order_by()
            .values_list("subdivision")
            .annotate(n=Count("pk", distinct=True))
        ),
        "sessions": dict(
            sessions.filter(course__school__subdivision__isnull=False)
            .order_by()
            .values_list("course__school__subdivision")
            .annotate(n=Count("pk", distinct=True))
        ),
    }


def map_figures(
    user: Any,
    params: Any,
    kind: str = "all",
    selected: str = "",
    activities: QuerySet[Any] | None = None,
) -> dict[str, Any]:
    """The map of Mali's regions and its table: records per region and kind, each count a
    link to its list filtered by the region."""
    from liaison.reports import geomap

    params = params_of(params)
    counts = by_subdivision(user, params, activities)
    kinds = {
        "activities": (_("Activities"), "activities:activity_list"),
        "events": (_("Events"), "events:event_list"),
        "sessions": (_("Sessions"), "training:session_list"),
    }
    kind = kind if kind in kinds else "all"
    subdivisions = list(Subdivision.objects.filter(country__alpha2=geomap.COUNTRY))
    by_code = {s.code: s for s in subdivisions}
    mali = {s.pk for s in subdivisions}
    names = {s.code: subdivision_label(s) for s in subdivisions}
    drawn = {r.code for r in geomap.regions()}
    per_code: dict[str, int] = {}
    rows = []
    ordered = sorted(subdivisions, key=lambda s: (s.code not in drawn, names[s.code]))
    for s in ordered:
        cells = [Cell(names[s.code])]
        total = 0
        for name, (_label, url_name) in kinds.items():
            n = counts[name].get(s.pk, 0)
            if kind in ("all", name):
                total += n
            cells.append(
                Cell(
                    charts.number(n),
                    list_url(url_name, params, region=s.pk) if n else "",
                    num=True,
                )
            )
        cells.append(Cell(charts.number(sum(counts[k].get(s.pk, 0) for k in kinds)), num=True))
        if s.code in geomap.NOT_DRAWN:
            within = names.get(geomap.NOT_DRAWN[s.code], "")
            cells[0].text = _("%(region)s (not drawn: within %(other)s on the map)") % {
                "region": names[s.code],
                "other": within,
            }
        rows.append(cells)
        per_code[s.code] = total
    # Records of the newer regions are shown in the region that holds them on the map.
    shown = dict(per_code)
    for code, within in geomap.NOT_DRAWN.items():
        shown[within] = shown.get(within, 0) + shown.pop(code, 0)
    links = {}
    for code in drawn:
        query = params.copy()
        query["selected"] = code
        query["kind"] = kind
        links[code] = "?" + query.urlencode()
    elsewhere = sum(
        n for k in kinds if kind in ("all", k) for pk, n in counts[k].items() if pk not in mali
    )
    title = {
        "all": _("Activities, events and sessions by region of Mali"),
        "activities": _("Activities by region of Mali"),
        "events": _("Events by region of Mali"),
        "sessions": _("Sessions by region of Mali"),
    }[kind]
    panel = None
    if selected in by_code:
        s = by_code[selected]
        panel = {
            "name": names[selected],
            "items": [
                {
                    "label": label,
                    "count": counts[k].get(s.pk, 0),
                    "url": list_url(url_name, params, region=s.pk)
                    if counts[k].get(s.pk, 0)
                    else "",
                }
                for k, (label, url_name) in kinds.items()
            ],
        }
    return {
        "svg": geomap.draw(title, shown, links, names, selected),
        "title": title,
        "headers": [_("Region"), *[str(v[0]) for v in kinds.values()], _("Total")],
        "rows": rows,
        "data": {k: {c.code: counts[k].get(c.pk, 0) for c in subdivisions} for k in kinds},
        "elsewhere": elsewhere,
        "kind": kind,
        "kinds": [("all", _("All")), *[(k, v[0]) for k, v in kinds.items()]],
        "panel": panel,
    }
