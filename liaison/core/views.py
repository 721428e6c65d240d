from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from liaison.core.models import TaskRun
from liaison.core.querysets import visible
from liaison.core.tasks import settle_stale


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database state, for load balancers and monitoring."""
    database: dict[str, object] = {"vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database["status"] = "ok"
    except DatabaseError as exc:
        database.update(status="error", error=exc.__class__.__name__)
    healthy = database["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database},
        status=200 if healthy else 503,
    )


@login_required
def autocomplete(request: HttpRequest, app_label: str, model_name: str) -> JsonResponse:
    """Search-as-you-type for record pickers: only records the user may see."""
    from django.apps import apps
    from django.http import Http404

    from liaison.core.search import REGISTRY, visible_matches
    from liaison.core.text import fold

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in REGISTRY:
        raise Http404
    words = fold(request.GET.get("q", "")).split()
    queryset = visible(model, request.user)
    if words:
        queryset = visible_matches(queryset, request.user, words)
    found = list(queryset[:20])
    results = [{"id": obj.pk, "text": str(obj)} for obj in found]
    return JsonResponse({"results": results})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    from liaison.core.search import search as run_search

    query = request.GET.get("q", "").strip()
    groups = run_search(request.user, query) if query else []
    template = (
        "core/_search_results.html" if getattr(request, "htmx", False) else "core/search.html"
    )
    return render(request, template, {"query": query, "groups": groups})


@login_required
def task_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress; the page polls itself (HTMX) until the job ends."""
    run = get_object_or_404(TaskRun, pk=pk, user=request.user)
    if run.status == TaskRun.Status.RUNNING and settle_stale([run.pk]):
        run.refresh_from_db()  # its worker went silent: requeued or failed, saying why
    template = "core/_task_run.html" if request.htmx else "core/task_run.html"  # type: ignore[attr-defined]
    return render(request, template, {"run": run})
