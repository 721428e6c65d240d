"""The yearly activity report of a workspace as a PDF (WeasyPrint): cover, summary
figures, charts, the map, tables of activities, trainings and events, and sources.

It shows the workspace's own records that the reader may see: the user who asks for
it (the web button), or a user named on the command line, or by default what any
member of the workspace sees (a viewer of that workspace and of no other; see
`workspace_view`). Context events come from every workspace the reader sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.activities.models import Activity, Assignment
from liaison.core.choices import Role
from liaison.core.models import Citation, Marking, Membership, Source
from liaison.core.querysets import visible
from liaison.events.dates import period_display, when
from liaison.events.filtersets import overlapping_dates
from liaison.events.models import Event
from liaison.reports import analysis, charts
from liaison.training.models import Enrollment, Session


@contextmanager
def workspace_view(workspace: Any) -> Iterator[Any]:
    """A reader who is a viewer of `workspace` and of nothing else: what every member of
    the workspace may see, and no more. The reader exists only inside this block (its
    transaction is rolled back), so that nothing is left behind."""
    with transaction.atomic():
        reader = get_user_model().objects.create(
            username=f"report-reader-{workspace.pk}-{timezone.now().timestamp():.0f}",
            is_active=True,
        )
        Membership.objects.create(user=reader, workspace=workspace, role=Role.VIEWER)
        try:
            yield reader
        finally:
            transaction.set_rollback(True)


def year_activities(user: Any, workspace: Any, year: int) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The workspace's activities under way in `year` (actual dates first, else planned),
    and those with no date at all, both as `user` sees them."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    own = visible(Activity, user).filter(owner=workspace)
    # The same span as the charts' (analysis.activity_span).
    spans = own.annotate(
        _start=Coalesce("actual_start", "planned_start"),
        _end=Coalesce("actual_end", "planned_end", "actual_start", "planned_start"),
    )
    by_day = spans.filter(_start__lte=last, _end__gte=first).values("pk")
    # No day but a period (YYYY or YYYY-MM) in the year: under way in it, as the sources say.
    by_period = own.filter(
        planned_start__isnull=True, actual_start__isnull=True, period__startswith=f"{year}"
    ).values("pk")
    dated = own.filter(Q(pk__in=by_day) | Q(pk__in=by_period))
    undated = own.filter(analysis.UNDATED)
    return dated, undated


def report_context(user: Any, workspace: Any, year: int) -> dict[str, Any]:
    dated, undated = year_activities(user, workspace, year)
    activities = visible(Activity, user).filter(
        pk__in=dated.values("pk").union(undated.values("pk"))
    )
    first, last = f"{year}-01-01", f"{year}-12-31"
    params = {"owner": workspace.pk, "dates_after": first, "dates_before": last}
    # Every section follows the year: the figures over time show it alone.
    years = range(year, year + 1)
    portfolio = analysis.portfolio(user, {}, activities, years)
    training = analysis.training(user, params)
    advisors = analysis.advisors(user, params, years)
    themap = analysis.map_figures(user, params, activities=activities)
    events = overlapping_dates(
        visible(Event, user).filter(owner=workspace),
        analysis.SimpleNamespace(start=dt.date(year, 1, 1), stop=dt.date(year, 12, 31)),
    )
    sessions = (
        analysis.filtered(analysis.SessionFilterSet, Session, user, analysis.params_of(params))[1]
        .select_related("course", "course__school", "course__school__organization")
        .order_by("start_date", "pk")
    )
    session_rows = list(sessions)
    trainees = dict(
        Enrollment.objects.filter(session__in=sessions.values("pk"))
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .order_by()
        .values_list("session")
        .annotate(n=analysis.Count("pk"))
    )
    activity_rows = list(
        activities.prefetch_related("places__subdivision", "places__country").order_by(
            "planned_start", "title"
        )
    )
    budget = analysis.budget_totals(dated)
    money: dict[str, dict[str, Decimal]] = {}
    for (currency, y, measure), amount in budget.items():
        if y == year:
            money.setdefault(currency, {"budget": Decimal(0), "disbursed": Decimal(0)})
            if measure in money[currency]:
                money[currency][measure] += amount
    included = [activities, sessions, events]
    markings = Marking.objects.filter(
        pk__in=[pk for qs in included for pk in qs.values_list("marking", flat=True)]
    ).order_by("-level")
    return {
        "workspace": workspace,
        "year": year,
        "today": timezone.localdate(),
        "marking": markings.first(),
        "summary": [
            (_("Activities under way in the year"), charts.number(dated.count())),
            (_("Activities without dates in the portfolio"), charts.number(undated.count())),
            (_("Training sessions"), charts.number(len(session_rows))),
            (_("Trainees"), charts.number(training["trainees"])),
            (_("Events"), charts.number(events.count())),
            (_("Advisors posted"), charts.number(_advisor_count(user, workspace, year))),
            *[
                (
                    _("Budget and disbursement (%(currency)s)") % {"currency": currency},
                    f"{charts.number(v['budget'], 2)} / {charts.number(v['disbursed'], 2)}",
                )
                for currency, v in sorted(money.items())
            ],
        ],
        "portfolio": portfolio["figures"],
        "training": training["figures"],
        "advisors": advisors["figures"],
        "map": themap,
        "activities": [
            {
                "title": a.title,
                "type": a.get_activity_type_display(),
                "status": a.get_status_display(),
                # The days when known, else the period as the sources give it.
                "start": a.actual_start or a.planned_start,
                "end": a.actual_end or a.planned_end,
                "period": "" if a.actual_start or a.planned_start else period_display(a.period),
                "places": ", ".join(
                    analysis.subdivision_label(p.subdivision) if p.subdivision else p.country.name
                    for p in a.places.all()
                ),
            }
            for a in activity_rows
        ],
        "sessions": [
            {
                "name": str(s),
                "school": str(s.course.school) if s.course.school_id else "",
                "start": s.start_date,
                "end": s.end_date,
                "trainees": trainees.get(s.pk, 0),
            }
            for s in session_rows
        ],
        "events": _with_when(
            events.select_related("country", "subdivision").order_by("start_date")
        ),
        "sources": _sources(user, [activities, sessions, events]),
    }


def _with_when(events: QuerySet[Any]) -> list[Any]:
    """The events, each with its dates as known in the reader's language (`when`)."""
    rows = list(events)
    for event in rows:
        event.when = when(event)
    return rows


def _advisor_count(user: Any, workspace: Any, year: int) -> int:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    postings = visible(Assignment, user).filter(owner=workspace, start_date__lte=last)
    postings = postings.filter(Q(end_date__gte=first) | Q(end_date__isnull=True))
    return postings.values("person").distinct().count()


def _sources(user: Any, querysets: list[QuerySet[Any]]) -> list[Any]:
    """The sources (that the reader sees) cited by the records of the report."""
    condition = Q(pk__in=[])
    for qs in querysets:
        content_type = ContentType.objects.get_for_model(qs.model)
        condition |= Q(content_type=content_type, object_id__in=qs.values("pk"))
    cited = Citation.objects.filter(condition).values("source")
    return list(visible(Source, user).filter(pk__in=cited).order_by("title"))


def render_html(user: Any, workspace: Any, year: int, language: str) -> str:
    with translation.override(language):
        context = report_context(user, workspace, year)
        context["language"] = language
        return render_to_string("reports/report_pdf.html", context)


def render_report(user: Any, workspace: Any, year: int, language: str) -> bytes:
    import logging

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    html = render_html(user, workspace, year, language)
    return HTML(string=html, base_url=None).write_pdf()


REPORT_TASK = "report"


@task
def report_task(run_id: int, workspace_id: int, year: int, language: str) -> None:
    """The report of the button: rendered for the user who asked, kept in the media
    folder under an unguessable name, and served to that user only (`report_file`)."""
    import secrets

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from liaison.core.models import TaskRun, Workspace
    from liaison.core.tasks import tracked

    with tracked(run_id) as progress:
        run = TaskRun.objects.select_related("user").get(pk=run_id)
        workspace = Workspace.objects.get(pk=workspace_id)
        progress.advance(0, 1)
        pdf = render_report(run.user, workspace, year, language)
        name = default_storage.save(
            f"reports/{run_id}-{secrets.token_hex(12)}.pdf", ContentFile(pdf)
        )
        progress.set_result(
            url=reverse("reports:report_file", args=[run_id]),
            file=name,
            download=f"liaison-{workspace.slug}-{year}-{language}.pdf",
        )
        progress.advance(1, 1)
