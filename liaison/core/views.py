from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from liaison.core.querysets import visible
from liaison.core.registry import record_models


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
def home(request: HttpRequest) -> HttpResponse:
    counts = [
        (model._meta.verbose_name_plural, visible(model, request.user).count(), model)
        for model in record_models()
    ]
    rows = [
        {
            "label": label,
            "count": count,
            "admin_url": f"/admin/{model._meta.app_label}/{model._meta.model_name}/",
        }
        for label, count, model in counts
    ]
    return render(request, "home.html", {"rows": rows})
