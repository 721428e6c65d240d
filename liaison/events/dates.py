"""Dates as known: exact dates when sure, else a partial period, with what does not add up."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.core.models import period_bounds
from liaison.events.models import DateFlag


def period_display(period: str) -> str:
    """'2024' → '2024'; '2024-03' → 'mars 2024' (or 'March 2024'), in the reader's language."""
    parts = period.split("-")
    try:
        if len(parts) == 2:
            return date_format(datetime.date(int(parts[0]), int(parts[1]), 1), "YEAR_MONTH_FORMAT")
        if len(parts) == 3:
            day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return date_format(day, "DATE_FORMAT")
    except ValueError:
        return period
    return period


def span_of(obj: Any) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a dated record may cover: its exact dates, else its period."""
    if obj.start_date is not None:
        return obj.start_date, obj.end_date or obj.start_date
    return period_bounds(obj.period or "")


def when(obj: Any, fmt: str = "SHORT_DATE_FORMAT") -> str:
    """The dates of a dated record in one short phrase ('' when nothing is known)."""
    start, end = obj.start_date, obj.end_date
    if start is not None:
        if end is None or end == start:
            return date_format(start, fmt)
        return _("%(start)s – %(end)s") % {  # noqa: RUF001 (a range of dates)
            "start": date_format(start, fmt),
            "end": date_format(end, fmt),
        }
    if end is not None:
        return _("until %(end)s") % {"end": date_format(end, fmt)}
    if obj.period:
        return period_display(obj.period)
    return ""


def iso_when(obj: Any) -> str:
    """The dates of a dated record in ISO 8601: a day, an interval ("start/end"), or the
    partial period as known ("2025-02"); for exports."""
    start, end = obj.start_date, obj.end_date
    if start is not None and end is not None and end != start:
        return f"{start.isoformat()}/{end.isoformat()}"
    if start is not None:
        return start.isoformat()
    if end is not None:
        return f"../{end.isoformat()}"
    return str(obj.period or "")


def date_warnings(obj: Any) -> list[str]:
    """What the dates flags say, in words (unknown flags as they are)."""
    labels = dict(DateFlag.choices)
    return [str(labels.get(flag, flag)) for flag in obj.date_flags or []]


def dates_as_known(obj: Any) -> dict[str, Any]:
    return {
        "when": when(obj, "DATE_FORMAT"),
        "exact": obj.start_date is not None,
        "period": obj.period,
        "period_display": period_display(obj.period) if obj.period else "",
        "as_written": obj.date_as_written,
        "warnings": date_warnings(obj),
    }
