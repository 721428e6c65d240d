from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
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


ANALYSES = {
    # page: (figures, the list the filters are shared with, title)
    "portfolio": ("portfolio", "activities:activity_list"),
    "training": ("training", "training:session_list"),
    "advisors": ("advisors", "activities:assignment_list"),
}


@login_required
def analysis_view(request: HttpRequest, page: str) -> HttpResponse:
    """Charts with their tables, filtered exactly as the list they summarise."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from liaison.reports import analysis

    function, list_name = ANALYSES[page]
    result = getattr(analysis, function)(request.user, request.GET)
    titles = {
        "portfolio": _("Portfolio analysis"),
        "training": _("Training output"),
        "advisors": _("Advisors"),
    }
    query = request.GET.urlencode()
    this_year = timezone.localdate().year
    context = {
        **result,
        "page": page,
        "title": titles[page],
        "list_url": reverse(list_name) + (f"?{query}" if query else ""),
        "pages": _pages(),
        "years": list(range(this_year, this_year - 12, -1)),
        "workspace": getattr(request, "workspace", None),
    }
    return render(request, "reports/analysis.html", context)


def _pages() -> list[tuple[str, str, str]]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    titles = {
        "portfolio": _("Portfolio analysis"),
        "training": _("Training output"),
        "advisors": _("Advisors"),
    }
    urls = {"portfolio": "reports:analysis", "training": "reports:training"}
    return [(name, titles[name], reverse(urls.get(name, f"reports:{name}"))) for name in ANALYSES]


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    from liaison.reports import analysis

    params = request.GET.copy()
    kind = params.pop("kind", ["all"])[-1]
    selected = params.pop("selected", [""])[-1]
    year = params.pop("year", [""])[-1]
    if year.isdigit() and len(year) == 4:
        # One year for the three lists, each through its own date filter.
        for prefix in ("planned", "dates"):
            params[f"{prefix}_after"] = f"{year}-01-01"
            params[f"{prefix}_before"] = f"{year}-12-31"
    else:
        year = ""
    context = analysis.map_figures(request.user, params, kind, selected)
    context.update({"year": year, "query": params.urlencode(), "pages": _pages()})
    return render(request, "reports/map.html", context)


@login_required
def report_view(request: HttpRequest) -> HttpResponse:
    """Start the PDF activity report of the current workspace for a year, as the user sees
    it, in the user's language; the task page follows it and links to the file."""
    from django.http import Http404, HttpResponseNotAllowed
    from django.shortcuts import redirect
    from django.utils import timezone
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from liaison.core.tasks import start
    from liaison.reports.pdf import REPORT_TASK, report_task

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    workspace = getattr(request, "workspace", None)
    if workspace is None:
        raise Http404
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 1900 <= year <= 2200:
        year = timezone.localdate().year
    language = (get_language() or "fr")[:2]
    label = _("Activity report %(year)s") % {"year": year}
    run = start(
        report_task,
        kind=REPORT_TASK,
        user=request.user,
        workspace=workspace,
        label=f"{label} — {workspace.name}",
        workspace_id=workspace.pk,
        year=year,
        language=language,
    )
    return redirect("task_run", pk=run.pk)


@login_required
def report_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A report the user asked for, to that user only; 404 for anyone else."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    from liaison.core.models import TaskRun
    from liaison.reports.pdf import REPORT_TASK

    user: Any = request.user
    run = TaskRun.objects.filter(
        pk=pk, kind=REPORT_TASK, user=user, status=TaskRun.Status.DONE
    ).first()
    name = str((run.result or {}).get("file", "")) if run else ""
    if not name.startswith("reports/") or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=str(run.result.get("download", name)) if run else name,
        content_type="application/pdf",
    )
