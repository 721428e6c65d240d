"""Agreement, activity, request and assignment pages: configuration of the core generic
views, plus what an activity's and a request's pages show beyond their summary.

Every queryset starts from `visible()`. Records linked by a foreign key go through it
too (core.links: the generic views withhold them in lists, summaries, names and related
lists), so that a link to a record outside the user's release shows nothing of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.activities import filtersets, forms, tables
from liaison.activities.choices import BudgetKind, ParticipationRole, TransactionType
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    BudgetLine,
    Indicator,
    Objective,
    Request,
    Transaction,
)
from liaison.activities.queries import (
    activity_rows,
    agreement_rows,
    assignment_rows,
    is_answered,
    request_rows,
    shown_participations,
    waiting_days,
)
from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFormsetEditView,
    ObjectListView,
    RecordView,
    section,
)
from liaison.core.links import visible_link
from liaison.core.querysets import visible
from liaison.events.models import Event
from liaison.partners.models import Organization
from liaison.training.models import Session

AUDIT_FIELDS = ("created_by", "created_at", "updated_by", "updated_at")


class WithAuthors(RecordView):
    """A record's detail, edit or delete page, with who created and changed it."""

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        related = ("owner", "marking", "created_by", "updated_by")
        return super().base_queryset(request).select_related(*related)


# --- agreements ----------------------------------------------------------------------


class AgreementListView(ObjectListView):
    model = Agreement
    filterset_class = filtersets.AgreementFilterSet
    select_related = ("owner", "marking")
    table_class = tables.AgreementTable

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return agreement_rows(request.user)


class AgreementDetailView(WithAuthors, ObjectDetailView):
    model = Agreement
    summary_fields = (
        "title", "reference", "parties", "signed_on", "valid_from", "valid_until", "scope",
        "text", *AUDIT_FIELDS,
    )  # fmt: skip

    def related(self, request: HttpRequest, obj: Agreement) -> list[dict[str, Any]]:
        return [
            section(_("activities"), visible(Activity, request.user).filter(agreement=obj)),
        ]


class AgreementEditView(WithAuthors, ObjectEditView):
    model = Agreement
    form_class = forms.AgreementForm


class AgreementDeleteView(WithAuthors, ObjectDeleteView):
    model = Agreement


# --- activities ----------------------------------------------------------------------

# The participating organisations of an activity page, in the IATI order of roles.
ROLE_HEADINGS: dict[str, Any] = {
    ParticipationRole.FUNDING: _("Donors (funding)"),
    ParticipationRole.ACCOUNTABLE: _("Accountable"),
    ParticipationRole.EXTENDING: _("Extending"),
    ParticipationRole.IMPLEMENTING: _("Implementing"),
    ParticipationRole.BENEFICIARY: _("Beneficiaries"),
}


def _totals(rows: QuerySet[Any], by: str, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """Sums of `amount` per `by` (budget kind, transaction type) and currency."""
    sums = rows.order_by().values(by, "currency").annotate(total=Sum("amount"))
    ordered = sorted(sums, key=lambda s: (list(labels).index(s[by]), s["currency"]))
    return [
        {"label": labels[s[by]], "currency": s["currency"], "total": s["total"]} for s in ordered
    ]


class ActivityListView(ObjectListView):
    model = Activity
    filterset_class = filtersets.ActivityFilterSet
    select_related = ("owner", "marking")
    table_class = tables.ActivityTable

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return activity_rows(request.user)


class ActivityDetailView(WithAuthors, ObjectDetailView):
    model = Activity
    template_name = "activities/activity_detail.html"
    summary_fields = (
        "activity_type", "status", "agreement", "parent", "planned_start", "planned_end",
        "actual_start", "actual_end", "period", "date_as_written", "currency", "iati_identifier",
        "external_id", "description", *AUDIT_FIELDS,
    )  # fmt: skip

    def related(self, request: HttpRequest, obj: Activity) -> list[dict[str, Any]]:
        user = request.user
        return [
            section(
                _("partner requests answered"),
                visible(Request, user).filter(answered_by=obj),
            ),
            section(_("training sessions"), visible(Session, user).filter(activity=obj)),
            section(_("events"), visible(Event, user).filter(activity=obj)),
            section(_("assignments"), visible(Assignment, user).filter(activity=obj)),
            section(_("sub-activities"), visible(Activity, user).filter(parent=obj)),
        ]

    def extra_context(self, request: HttpRequest, obj: Activity) -> dict[str, Any]:
        user = request.user
        by_role: dict[str, list[Organization]] = {role: [] for role in ROLE_HEADINGS}
        for participation in shown_participations(user).filter(activity=obj):
            by_role[participation.role].append(participation.organization)
        budget = visible(BudgetLine, user).filter(activity=obj)
        transactions = (
            visible(Transaction, user)
            .filter(activity=obj)
            .prefetch_related(
                visible_link("provider", Organization, user),
                visible_link("receiver", Organization, user),
            )
        )
        indicators = visible(Indicator, user).filter(activity=obj).order_by("pk")
        return {
            "participation_groups": [
                (ROLE_HEADINGS[role], organizations) for role, organizations in by_role.items()
            ],
            "has_participants": any(by_role.values()),
            "places": visible(ActivityPlace, user)
            .filter(activity=obj)
            .select_related("country", "subdivision"),
            "budget_lines": budget,
            "budget_totals": _totals(budget, "kind", dict(BudgetKind.choices)),
            "transactions": transactions,
            "transaction_totals": _totals(
                transactions, "transaction_type", dict(TransactionType.choices)
            ),
            "objectives": visible(Objective, user)
            .filter(activity=obj)
            .order_by("pk")
            .prefetch_related(Prefetch("indicators", queryset=indicators)),
            "loose_indicators": indicators.filter(objective__isnull=True),
        }


class ActivityEditView(WithAuthors, ObjectFormsetEditView):
    """The activity with its organisations, places, money and results, saved together."""

    model = Activity
    form_class = forms.ActivityForm
    formsets = forms.ACTIVITY_FORMSETS

    def child_queryset(self, request: HttpRequest, formset_class: Any) -> QuerySet[Any]:
        queryset = super().child_queryset(request, formset_class)
        if formset_class.model is ActivityParticipation:
            # A participation of an organisation the user may not see is left as it is.
            queryset = queryset.filter(
                organization__in=visible(Organization, request.user).values("pk")
            )
        return queryset


class ActivityDeleteView(WithAuthors, ObjectDeleteView):
    model = Activity


# --- partner requests ----------------------------------------------------------------


class RequestListView(ObjectListView):
    model = Request
    filterset_class = filtersets.RequestFilterSet
    select_related = ("owner", "marking")
    table_class = tables.RequestTable

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return request_rows(request.user)


class RequestDetailView(WithAuthors, ObjectDetailView):
    model = Request
    template_name = "activities/request_detail.html"
    summary_fields = (
        "requester", "received_on", "received_period", "due_on", "urgency", "status",
        "description", *AUDIT_FIELDS,
    )  # fmt: skip

    def answers(self, request: HttpRequest, obj: Request) -> QuerySet[Any]:
        return visible(Activity, request.user).filter(answered_requests=obj)

    def related(self, request: HttpRequest, obj: Request) -> list[dict[str, Any]]:
        return [section(_("answered by"), self.answers(request, obj))]

    def extra_context(self, request: HttpRequest, obj: Request) -> dict[str, Any]:
        answers = self.answers(request, obj)[:1]
        today = timezone.localdate()
        days = waiting_days(obj, answers, today)
        return {
            "answered": is_answered(obj, answers),
            "waiting_days": days,
            "overdue": days is not None and obj.due_on is not None and obj.due_on < today,
        }


class RequestEditView(WithAuthors, ObjectEditView):
    model = Request
    form_class = forms.RequestForm


class RequestDeleteView(WithAuthors, ObjectDeleteView):
    model = Request


# --- assignments ---------------------------------------------------------------------


class AssignmentListView(ObjectListView):
    model = Assignment
    filterset_class = filtersets.AssignmentFilterSet
    select_related = ("owner", "marking")
    table_class = tables.AssignmentTable

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return assignment_rows(request.user)


class AssignmentDetailView(WithAuthors, ObjectDetailView):
    model = Assignment
    summary_fields = (
        "person", "role", "organization", "sending_organization", "activity", "start_date",
        "end_date", *AUDIT_FIELDS,
    )  # fmt: skip


class AssignmentEditView(WithAuthors, ObjectEditView):
    model = Assignment
    form_class = forms.AssignmentForm


class AssignmentDeleteView(WithAuthors, ObjectDeleteView):
    model = Assignment
