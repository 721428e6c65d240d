"""The figures of the home dashboard, each with the filtered list behind it.

Every queryset starts from `visible()`; the number of queries does not depend on the
number of records (each block is one aggregate or one bounded query).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from liaison.activities.choices import ActivityStatus, ActivityType, RequestStatus
from liaison.activities.models import Activity, Assignment, Request
from liaison.core.derived import cached
from liaison.core.history import chained
from liaison.core.querysets import visible
from liaison.core.registry import record_models
from liaison.core.withholding import mark
from liaison.events.models import Event
from liaison.training.models import Session
from liaison.vetting.models import VettingRequest

SOON = dt.timedelta(days=60)


def list_url(name: str, **params: Any) -> str:
    query = urlencode([(k, v) for k, v in params.items() if v not in (None, "")], doseq=True)
    return f"{reverse(name)}?{query}" if query else reverse(name)


@dataclass
class Cell:
    count: int
    url: str


def activity_matrix(user: Any, workspace: Any) -> dict[str, Any]:
    """Activities of the workspace by type (rows) and status (columns)."""
    owner = workspace.pk if workspace else None
    activities = visible(Activity, user)
    if owner:
        activities = activities.filter(owner_id=owner)
    counts = {
        (row["activity_type"], row["status"]): row["n"]
        for row in activities.values("activity_type", "status").annotate(n=Count("pk"))
    }
    rows = []
    for activity_type in ActivityType:
        cells = [
            Cell(
                counts.get((activity_type.value, status.value), 0),
                list_url(
                    "activities:activity_list",
                    activity_type=activity_type.value,
                    status=status.value,
                    owner=owner,
                ),
            )
            for status in ActivityStatus
        ]
        total = sum(c.count for c in cells)
        if total:
            rows.append(
                {
                    "label": activity_type.label,
                    "cells": cells,
                    "total": Cell(
                        total,
                        list_url(
                            "activities:activity_list",
                            activity_type=activity_type.value,
                            owner=owner,
                        ),
                    ),
                }
            )
    return {"statuses": [s.label for s in ActivityStatus], "rows": rows}


def upcoming(user: Any, today: dt.date) -> dict[str, list[Any]]:
    horizon = today + SOON
    events = (
        visible(Event, user)
        .filter(Q(start_date__gte=today, start_date__lte=horizon))
        .order_by("start_date")[:10]
    )
    sessions = (
        visible(Session, user)
        .filter(start_date__gte=today, start_date__lte=horizon)
        .select_related("course")
        .order_by("start_date")[:10]
    )
    shown = list(sessions)
    return {"events": list(events), "sessions": shown}


def waiting_requests(user: Any, workspace: Any, today: dt.date) -> list[dict[str, Any]]:
    requests = visible(Request, user).filter(
        status__in=[RequestStatus.RECEIVED, RequestStatus.UNDER_STUDY]
    )
    if workspace:
        requests = requests.filter(owner=workspace)
    oldest_first = F("received_on").asc(nulls_last=True)
    return [
        {"request": r, "age": (today - r.received_on).days if r.received_on else None}
        for r in requests.select_related("requester").order_by(oldest_first, "pk")[:10]
    ]


def assignments_ending(user: Any, workspace: Any, today: dt.date) -> list[Any]:
    assignments = visible(Assignment, user).filter(end_date__gte=today, end_date__lte=today + SOON)
    if workspace:
        assignments = assignments.filter(owner=workspace)
    return list(assignments.select_related("person", "organization").order_by("end_date")[:10])


def vettings_expiring(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """Clearances ending soon: what anyone may know (status, date), never the file."""
    return list(
        VettingRequest.objects.clearances_for(user)
        .filter(status__in=VettingRequest.APPROVALS)
        .filter(valid_until__gte=today, valid_until__lte=today + SOON)
        .order_by("valid_until")[:10]
    )


def recent_changes(user: Any, per_model: int = 5, limit: int = 15) -> list[Any]:
    """The latest history rows of records the user may see, newest first."""
    rows: list[Any] = []
    for model in record_models():
        history: Any = model.history  # type: ignore[attr-defined]
        rows.extend(
            chained(history.filter(id__in=visible(model, user).values("pk")))
            .select_related("history_user")
            .order_by("-history_date")[:per_model]
        )
    rows.sort(key=lambda r: r.history_date, reverse=True)
    rows = rows[:limit]
    # The record as it was, named without what the user may not see (`record`, built
    # once: each reading of a history row's `instance` builds a new one).
    for row in rows:
        row.record = row.instance
    mark([row.record for row in rows], user)
    return rows


def dashboard(user: Any, workspace: Any) -> dict[str, Any]:
    """The dashboard's figures, kept per user and workspace until anything changes
    (core.derived): the first reader after a change pays for them, the others do not."""
    found = cached(
        "dashboard",
        user,
        lambda: compute_dashboard(user, workspace),
        workspace.pk if workspace else 0,
    )
    return dict(found)


def compute_dashboard(user: Any, workspace: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "matrix": activity_matrix(user, workspace),
        "upcoming": upcoming(user, today),
        "requests": waiting_requests(user, workspace, today),
        "assignments": assignments_ending(user, workspace, today),
        "vettings": vettings_expiring(user, today),
        "changes": recent_changes(user),
        "today": today,
    }
