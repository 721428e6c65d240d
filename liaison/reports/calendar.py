"""Calendar and timeline data: events, sessions and activities on dates, against context."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.activities.models import Activity
from liaison.core.models import period_bounds
from liaison.core.querysets import visible
from liaison.events.models import ContextEvent, Event
from liaison.training.models import Session

MAX_ITEMS = 500


@dataclass(frozen=True)
class Item:
    kind: Any
    title: str
    start: dt.date
    end: dt.date
    url: str
    flagged: bool = False


def _overlapping(queryset: Any, start_field: str, end_field: str, first: dt.date, last: dt.date):
    return queryset.filter(
        Q(**{f"{start_field}__lte": last})
        & (
            Q(**{f"{end_field}__gte": first})
            | Q(**{f"{end_field}__isnull": True, f"{start_field}__gte": first})
        )
    )


def items_between(user: Any, first: dt.date, last: dt.date) -> list[Item]:
    """Everything dated that overlaps [first, last], that the user may see."""
    items: list[Item] = []
    events = _overlapping(visible(Event, user), "start_date", "end_date", first, last)
    for e in events.order_by("start_date")[:MAX_ITEMS]:
        items.append(
            Item(_("Event"), e.title, e.start_date, e.end_date or e.start_date,
                 e.get_absolute_url(), bool(e.date_flags))
        )  # fmt: skip
    sessions = _overlapping(visible(Session, user), "start_date", "end_date", first, last)
    shown = list(sessions.select_related("course").order_by("start_date")[:MAX_ITEMS])
    for s in shown:
        items.append(
            Item(
                _("Session"), str(s), s.start_date, s.end_date or s.start_date, s.get_absolute_url()
            )
        )
    activities = _overlapping(visible(Activity, user), "planned_start", "planned_end", first, last)
    for a in activities.order_by("planned_start")[:MAX_ITEMS]:
        items.append(
            Item(_("Activity"), a.title, a.planned_start, a.planned_end or a.planned_start,
                 a.get_absolute_url())
        )  # fmt: skip
    items.sort(key=lambda i: (i.start, i.title))
    return items


def month_grid(year: int, month: int, items: list[Item]) -> list[list[dict[str, Any]]]:
    """Weeks of days (Monday first), each day with the items that cover it."""
    weeks = []
    for week in cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "items": [i for i in items if i.start <= day <= i.end],
                }
                for day in week
            ]
        )
    return weeks


def parse_month(value: str | None, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, cal.monthrange(year, month)[1])


def shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + (month - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Bar:
    title: str
    url: str
    left: float
    width: float
    start: dt.date
    end: dt.date
    kind: str

    @property
    def right(self) -> float:
        return round(self.left + self.width, 3)

    @property
    def label_before(self) -> bool:
        """Late bars put their label before them, so that it stays on the page."""
        return self.left > 60


def _period_dates(obj: Any) -> tuple[dt.date, dt.date] | None:
    """Exact dates, else the bounds of a partial ISO period (YYYY or YYYY-MM)."""
    if obj.start_date:
        return obj.start_date, obj.end_date or obj.start_date
    return period_bounds(getattr(obj, "period", ""))


def timeline(user: Any, limit: int = 200) -> dict[str, Any]:
    """Activities as bars and context events as marks, on one shared time axis."""
    from liaison.reports.analysis import UNDATED, activity_span  # analysis reads this module

    activities = []
    for a in visible(Activity, user).exclude(UNDATED)[:limit]:
        start, end = activity_span(a)
        if start and end:
            activities.append((a, start, end))
    contexts = []
    for c in visible(ContextEvent, user)[:limit]:
        dates = _period_dates(c)
        if dates:
            contexts.append((c, *dates))
    spans = [(s, e) for _, s, e in activities] + [(s, e) for _, s, e in contexts]
    if not spans:
        return {"activities": [], "contexts": [], "years": []}
    first = dt.date(min(s for s, _ in spans).year, 1, 1)
    last = dt.date(max(e for _, e in spans).year, 12, 31)
    total = (last - first).days or 1

    def bar(title: str, url: str, start: dt.date, end: dt.date, kind: str) -> Bar:
        left = 100 * (start - first).days / total
        width = max(100 * ((end - start).days + 1) / total, 0.4)
        return Bar(title, url, round(left, 3), round(width, 3), start, end, kind)

    return {
        "activities": [
            bar(a.title, a.get_absolute_url(), s, e, a.get_activity_type_display())
            for a, s, e in sorted(activities, key=lambda x: x[1])
        ],
        "contexts": [
            bar(str(c), c.get_absolute_url(), s, e, c.get_kind_display())
            for c, s, e in sorted(contexts, key=lambda x: x[1])
        ],
        "years": [
            {"year": y, "left": round(100 * (dt.date(y, 1, 1) - first).days / total, 3)}
            for y in range(first.year, last.year + 1)
        ],
    }
