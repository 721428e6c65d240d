from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.reports.dashboard import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    workspace = getattr(request, "workspace", None)
    return render(request, "reports/home.html", dashboard(request.user, workspace))


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    from liaison.reports import calendar as cal

    today = timezone.localdate()
    year, month = cal.parse_month(request.GET.get("month"), today)
    first, last = cal.month_bounds(year, month)
    items = cal.items_between(request.user, first, last)
    view = "list" if request.GET.get("view") == "list" else "month"
    context = {
        "view": view,
        "month_start": first,
        "items": items,
        "weeks": cal.month_grid(year, month, items) if view == "month" else [],
        "previous": cal.shift_month(year, month, -1),
        "next": cal.shift_month(year, month, 1),
        "current": f"{year:04d}-{month:02d}",
        "today": today,
    }
    return render(request, "reports/calendar.html", context)


@login_required
def timeline_view(request: HttpRequest) -> HttpResponse:
    from liaison.reports.calendar import timeline

    return render(request, "reports/timeline.html", timeline(request.user))
