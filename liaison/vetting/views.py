"""Vetting files: a queue, a page and a form, seen by vetting officers only.

`visible()` returns only the files a vetting officer may see; anyone else gets the
404 of any record outside their reach, and an empty queue.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View

from liaison.core import access
from liaison.core.access import has_role_anywhere
from liaison.core.choices import Role
from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    section,
)
from liaison.core.querysets import visible
from liaison.partners.models import Organization, Person
from liaison.vetting import filtersets, forms, services, tables
from liaison.vetting.models import (
    CourtesyCheck,
    GateOverride,
    Remediation,
    ScreeningHit,
    VettingBatch,
    VettingRequest,
    unremediated_rejection,
)

PURPOSE_RELATED = ("activity", "enrollment__person", "enrollment__session__course", "event")


class VettingRequestListView(ObjectListView):
    model = VettingRequest
    filterset_class = filtersets.VettingRequestFilterSet
    table_class = tables.VettingRequestTable
    select_related = ("subject_person", "subject_organization", *PURPOSE_RELATED, "owner")


class VettingRequestDetailView(ObjectDetailView):
    model = VettingRequest
    template_name = "vetting/vettingrequest_detail.html"
    summary_fields = (
        "subject_person", "subject_organization", "activity", "enrollment", "event", "status",
        "requested_on", "decided_on", "decided_by", "valid_until", "decision_reason", "evidence",
    )  # fmt: skip

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related(
                "subject_person",
                "subject_organization",
                *PURPOSE_RELATED,
                "decided_by",
                "owner",
                "marking",
            )
        )

    def related(self, request: HttpRequest, obj: VettingRequest) -> list[dict[str, Any]]:
        same_subject = (
            Q(subject_person=obj.subject_person_id)
            if obj.subject_person_id
            else Q(subject_organization=obj.subject_organization_id)
        )
        others = (
            visible(VettingRequest, request.user)
            .filter(same_subject)
            .exclude(pk=obj.pk)
            .select_related("subject_person", "subject_organization")
        )
        return [section(_("other requests for this subject"), others)]

    def extra_context(self, request: HttpRequest, obj: VettingRequest) -> dict[str, Any]:
        hits = (
            visible(ScreeningHit, request.user)
            .filter(
                Q(person=obj.subject_person_id)
                if obj.subject_person_id
                else Q(organization=obj.subject_organization_id)
            )
            .select_related("entry__screening_list", "adjudicated_by")
            .order_by("-score", "pk")
        )
        today = timezone.localdate()
        days_left = (obj.valid_until - today).days if obj.valid_until else None
        decide_form = None
        may_change = access.can(request.user, access.CHANGE, obj)
        if may_change and VettingRequest.TRANSITIONS.get(obj.status):
            decide_form = forms.DecisionForm(obj)
        return {
            "hits": list(hits),
            "days_left": days_left,
            "decide_form": decide_form,
            "can_cancel": may_change and obj.status in VettingRequest.OPEN,
            "can_reinstate": may_change and services.may_reinstate(obj, today),
            # Issue 19: rejections, remediations and courtesy checks on the file.
            "remediations": list(
                visible(Remediation, request.user)
                .filter(vetting_request=obj)
                .select_related("decided_by")
            ),
            "can_remediate": may_change
            and obj.status == VettingRequest.Status.DENIED
            and obj.subject_organization_id is not None,
            "remediation_form": forms.RemediationForm(),
            "courtesy_checks": list(
                visible(CourtesyCheck, request.user)
                .filter(vetting_request=obj)
                .select_related("recorded_by")
            ),
            "courtesy_form": forms.CourtesyCheckForm(initial={"checked_on": today})
            if may_change
            else None,
            "unremediated": unremediated_rejection(obj.subject_organization_id)
            if obj.subject_organization_id
            else None,
        }


class VettingRequestEditView(ObjectEditView):
    model = VettingRequest
    form_class = forms.VettingRequestForm


class VettingRequestDeleteView(ObjectDeleteView):
    model = VettingRequest


# --- the workflow: queue, decisions, batch requests, coverage, overrides, report --------


def is_officer(user: Any) -> bool:
    return has_role_anywhere(user, frozenset({Role.VETTING_OFFICER}))


class QueueView(LoginRequiredMixin, View):
    """The open requests a vetting officer may work on, oldest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = (
            visible(VettingRequest, request.user)
            .filter(status__in=VettingRequest.OPEN)
            .select_related("subject_person", "subject_organization", *PURPOSE_RELATED)
            .order_by("requested_on", "pk")
        )
        requests = list(rows[:500])
        return render(
            request,
            "vetting/queue.html",
            {"requests": requests, "total": rows.count(), "today": timezone.localdate()},
        )


class DecideView(LoginRequiredMixin, View):
    """An officer's decision on a file: in review, approved, denied, suspended."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = visible(VettingRequest, request.user).filter(pk=pk).first()
        if obj is None:
            raise Http404
        if not access.can(request.user, access.CHANGE, obj):
            raise PermissionDenied
        form = forms.DecisionForm(obj, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["status"] == VettingRequest.Status.SUSPENDED:
                    services.suspend(
                        obj,
                        acting_user=request.user,
                        reason=data["reason"],
                        evidence=data["evidence"],
                    )
                else:
                    services.decide(
                        obj,
                        data["status"],
                        acting_user=request.user,
                        reason=data["reason"],
                        evidence=data["evidence"],
                        valid_until=data["valid_until"],
                        conditions=data["conditions"],
                        hits_on=data["hits_on"],
                    )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("Decision recorded."))
                next_url = request.POST.get("next")
                if next_url == "queue":
                    return redirect("vetting:queue")
                return redirect(obj.get_absolute_url())
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return redirect(obj.get_absolute_url())


class CloseView(LoginRequiredMixin, View):
    """Cancel an open file, or reinstate a suspended approval, with a written reason."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        move = {"cancel": services.cancel, "reinstate": services.reinstate}.get(action)
        obj = visible(VettingRequest, request.user).filter(pk=pk).first()
        if obj is None or move is None:
            raise Http404
        if not access.can(request.user, access.CHANGE, obj):
            raise PermissionDenied
        form = forms.CloseForm(request.POST)
        form.is_valid()
        try:
            move(obj, acting_user=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            if action == "cancel":
                messages.success(request, _("Vetting request cancelled."))
            else:
                messages.success(request, _("Approval reinstated."))
        return redirect(obj.get_absolute_url())


def _purpose(kind: str, pk: int, user: Any) -> Any:
    from liaison.activities.models import Activity
    from liaison.events.models import Event
    from liaison.training.models import Session

    model = {"session": Session, "activity": Activity, "event": Event}.get(kind)
    if model is None:
        raise Http404
    obj = visible(model, user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _coverage(purpose: Any, user: Any) -> tuple[list[Any], Any]:
    """The rows of a session's trainees or an activity's beneficiary units, as `user` sees
    them, with their clearance; and the day it is judged on."""
    from liaison.activities.models import ActivityParticipation
    from liaison.training.models import Enrollment

    if purpose._meta.model_name == "session":
        enrollments = list(
            visible(Enrollment, user)
            .filter(session=purpose)
            .exclude(status="withdrawn")
            .select_related("person", "unit")
            .order_by("person__full_name", "pk")
        )
        enrollments = [e for e in enrollments if isinstance(e.person, Person)]
        return services.session_coverage(purpose, enrollments, user), purpose.start_date
    if purpose._meta.model_name == "event":
        from liaison.events.models import Participant

        participants = list(
            visible(Participant, user)
            .filter(event=purpose, role="trainee")
            .select_related("person", "organization")
            .order_by("person__full_name", "pk")
        )
        participants = [
            p
            for p in participants
            if isinstance(p.person, Person) or isinstance(p.organization, Organization)
        ]
        return services.event_coverage(purpose, participants, user), purpose.start_date
    participations = list(
        visible(ActivityParticipation, user)
        .filter(activity=purpose, role="beneficiary")
        .select_related("organization")
        .order_by("organization__name_fr", "pk")
    )
    participations = [p for p in participations if isinstance(p.organization, Organization)]
    day = purpose.actual_end or purpose.actual_start or purpose.planned_start
    return services.activity_coverage(purpose, participations, user), day


class CoverageView(LoginRequiredMixin, View):
    """Who of a session's trainees or an activity's beneficiary units is cleared; batch
    requests for vetting officers, overrides for managers."""

    def get(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        purpose = _purpose(kind, pk, request.user)
        rows, day = _coverage(purpose, request.user)
        return render(
            request,
            "vetting/coverage.html",
            {
                "purpose": purpose,
                "kind": kind,
                "rows": rows,
                "day": day,
                "cleared": sum(1 for r in rows if r.cleared),
                "overridden": sum(1 for r in rows if r.overridden and not r.cleared),
                "can_request": kind != "event" and is_officer(request.user),
                "can_override": services.may_override(request.user, purpose),
                "override_form": forms.OverrideForm(),
            },
        )


class BatchRequestView(LoginRequiredMixin, View):
    """Request vetting for every trainee of a session, or every beneficiary unit of an
    activity, that has neither an open request nor a valid approval."""

    def post(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        if kind not in ("session", "activity"):
            raise Http404
        purpose = _purpose(kind, pk, request.user)
        if not is_officer(request.user):
            raise PermissionDenied
        if kind == "session":
            made = services.request_for_session(purpose, acting_user=request.user)
        else:
            made = services.request_for_activity(purpose, acting_user=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d vetting request made.", "%(count)d vetting requests made.", len(made)
            )
            % {"count": len(made)},
        )
        return redirect("vetting:coverage", kind=kind, pk=pk)


class OverrideView(LoginRequiredMixin, View):
    """A manager lets one subject through the gate, with a written reason."""

    def post(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        purpose = _purpose(kind, pk, request.user)
        if not services.may_override(request.user, purpose):
            raise PermissionDenied
        form = forms.OverrideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write the reason for the override."))
            return redirect("vetting:coverage", kind=kind, pk=pk)
        subject_id = form.cleaned_data["subject"]
        if kind == "activity" or request.POST.get("subject_kind") == "unit":
            unit = visible(Organization, request.user).filter(pk=subject_id).first()
            person = None
            if unit is None:
                raise Http404
        else:
            person = visible(Person, request.user).filter(pk=subject_id).first()
            unit = None
            if person is None:
                raise Http404
        try:
            services.grant_override(
                purpose,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                person=person,
                unit=unit,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Override recorded."))
        return redirect("vetting:coverage", kind=kind, pk=pk)


class ReportView(LoginRequiredMixin, View):
    """Who is cleared, pending, denied; the overrides; what expires before it is needed.

    Vetting officers see the files they hold; everyone else sees only who is cleared and
    until when (the clearances released to them), never a reason or who decided."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        today = timezone.localdate()
        officer = is_officer(user)
        related = ("subject_person", "subject_organization")
        groups: list[dict[str, Any]] = []
        counts: list[tuple[str, Any, int]] = []
        if officer:
            files = visible(VettingRequest, user)
            labels = dict(VettingRequest.Status.choices)
            by_status = dict(
                files.values_list("status")
                .annotate(n=Count("pk"))
                .order_by()
                .values_list("status", "n")
            )
            counts = [(s, labels[s], by_status.get(s, 0)) for s in VettingRequest.Status.values]
            for title, condition in (
                (_("Pending"), Q(status__in=VettingRequest.OPEN)),
                (_("Denied or suspended"), Q(status__in=["denied", "suspended"])),
            ):
                rows = list(
                    files.filter(condition).select_related(*related).order_by("requested_on")[:200]
                )
                groups.append({"title": title, "rows": rows})
        cleared_qs = (
            VettingRequest.objects.released_to_user(user, None)
            .filter(status__in=VettingRequest.APPROVALS, valid_until__gte=today)
            .select_related(*related)
            .order_by("valid_until", "pk")
        )
        cleared = list(cleared_qs[:500])
        overrides = list(
            GateOverride.objects.visible_to(user)
            .select_related(*related, "session__course", "event", "activity", "granted_by")
            .order_by("-granted_at")[:200]
        )
        return render(
            request,
            "vetting/report.html",
            {
                "officer": officer,
                "counts": counts,
                "groups": groups,
                "cleared": [
                    (r.subject_person or r.subject_organization, r.valid_until) for r in cleared
                ],
                "cleared_total": cleared_qs.count(),
                "overrides": overrides,
                "reminders": services.reminders(user, today),
                "today": today,
            },
        )


# --- batches, expiry report, remediations, courtesy checks (issue 19, item 3) -----------


class VettingBatchListView(ObjectListView):
    model = VettingBatch
    filterset_class = filtersets.VettingBatchFilterSet
    table_class = tables.VettingBatchTable
    select_related = ("owner",)

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().base_queryset(request).annotate(subjects=Count("requests"))


class VettingBatchDetailView(ObjectDetailView):
    model = VettingBatch
    template_name = "vetting/vettingbatch_detail.html"
    summary_fields = ("reference", "status", "submitted_on", "notes", "owner")

    def extra_context(self, request: HttpRequest, obj: VettingBatch) -> dict[str, Any]:
        rows = list(
            visible(VettingRequest, request.user)
            .filter(batch=obj)
            .select_related("subject_person", "subject_organization", *PURPOSE_RELATED)
            .order_by("pk")
        )
        may_change = access.can(request.user, access.CHANGE, obj)
        preparing = obj.status == VettingBatch.Status.PREPARING
        add_form = None
        if may_change and preparing:
            candidates = (
                visible(VettingRequest, request.user)
                .filter(owner=obj.owner, status__in=VettingRequest.OPEN, batch=None)
                .select_related("subject_person", "subject_organization")
                .order_by("requested_on", "pk")[:200]
            )
            add_form = forms.BatchAddForm([(r.pk, str(r)) for r in candidates])
        order = list(VettingBatch.Status.values)
        index = order.index(obj.status)
        next_status = order[index + 1] if index + 1 < len(order) else None
        return {
            "rows": rows,
            "max_subjects": VettingBatch.MAX_SUBJECTS,
            "add_form": add_form,
            "next_status": next_status if may_change else None,
            "next_label": dict(VettingBatch.Status.choices).get(next_status or ""),
        }


class VettingBatchEditView(ObjectEditView):
    model = VettingBatch
    form_class = forms.VettingBatchForm


class VettingBatchDeleteView(ObjectDeleteView):
    model = VettingBatch


def _batch(pk: int, user: Any) -> VettingBatch:
    obj = visible(VettingBatch, user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


class BatchAddView(LoginRequiredMixin, View):
    """Put open requests in a batch being prepared (all or none, at most 50 in all)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(pk, request.user)
        ids = [int(i) for i in request.POST.getlist("requests") if i.isdigit()]
        chosen = list(visible(VettingRequest, request.user).filter(pk__in=ids))
        if len(chosen) != len(set(ids)):
            raise Http404
        try:
            added = services.add_to_batch(batch, chosen, acting_user=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d request added to the batch.",
                    "%(count)d requests added to the batch.",
                    len(added),
                )
                % {"count": len(added)},
            )
        return redirect(batch.get_absolute_url())


class BatchStatusView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(pk, request.user)
        try:
            services.set_batch_status(
                batch, request.POST.get("status", ""), acting_user=request.user
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Batch status changed."))
        return redirect(batch.get_absolute_url())


def batch_rows(batch: VettingBatch, user: Any) -> Any:
    """The batch as the embassy reads it: one row per subject, header first."""
    yield [
        str(_("batch")), str(_("file")), str(_("subject type")), str(_("name")),
        str(_("rank")), str(_("birth date")), str(_("nationality")), str(_("purpose")),
        str(_("requested on")), str(_("status")), str(_("conditions of the approval")),
        str(_("derogatory information on")), str(_("valid until")),
    ]  # fmt: skip
    from liaison.core.exports import iso
    from liaison.vetting.tables import purpose_of

    rows = (
        visible(VettingRequest, user)
        .filter(batch=batch)
        .select_related("subject_person__nationality", "subject_organization", *PURPOSE_RELATED)
        .order_by("pk")
    )
    for r in rows:
        person = r.subject_person
        is_person = r.subject_person_id is not None
        purpose = purpose_of(r)
        yield [
            batch.reference,
            r.pk,
            str(_("person") if is_person else _("unit")),
            str(person if is_person else r.subject_organization),
            getattr(person, "rank", "") if is_person else "",
            iso(getattr(person, "birth_date", None)) or "" if is_person else "",
            str(getattr(person, "nationality", None) or "") if is_person else "",
            "" if purpose is None else str(purpose),
            iso(r.requested_on),
            r.get_status_display(),
            r.conditions,
            r.get_hits_on_display(),
            iso(r.valid_until) or "",
        ]


class BatchExportView(LoginRequiredMixin, View):
    """The batch for the embassy, CSV or XLSX (core.exports: formula-safe cells, RFC 6266
    file names)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        from liaison.core.exports import FORMATS, export_rows

        batch = _batch(pk, request.user)
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            raise Http404
        stem = _("vetting batch %(reference)s") % {"reference": batch.reference}
        return export_rows(list(batch_rows(batch, request.user)), str(stem), fmt)


class ExpiringView(LoginRequiredMixin, View):
    """Approvals ending within 60 days (?days= to change), as a page or CSV/XLSX."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        from liaison.core.exports import FORMATS, export_rows, iso

        raw = request.GET.get("days", "60")
        days = int(raw) if raw.isdigit() and int(raw) <= 3660 else 60
        today = timezone.localdate()
        rows = list(services.expiring(request.user, today, days)[:2000])
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            header = [
                str(_("file")), str(_("subject")), str(_("status")),
                str(_("conditions of the approval")), str(_("valid until")),
                str(_("days left")), str(_("batch")),
            ]  # fmt: skip
            body = [
                [
                    r.pk,
                    str(r.subject_person or r.subject_organization),
                    r.get_status_display(),
                    r.conditions,
                    iso(r.valid_until),
                    (r.valid_until - today).days,
                    str(r.batch or ""),
                ]
                for r in rows
            ]
            return export_rows([header, *body], str(_("vetting expiring")), fmt or "csv")
        return render(
            request,
            "vetting/expiring.html",
            {
                "rows": [(r, (r.valid_until - today).days) for r in rows],
                "days": days,
                "today": today,
            },
        )


class RemediateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = visible(VettingRequest, request.user).filter(pk=pk).first()
        if obj is None:
            raise Http404
        form = forms.RemediationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Describe the remediation and its evidence."))
            return redirect(obj.get_absolute_url())
        try:
            services.remediate(obj, acting_user=request.user, **form.cleaned_data)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Remediation recorded."))
        return redirect(obj.get_absolute_url())


class CourtesyCheckView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = visible(VettingRequest, request.user).filter(pk=pk).first()
        if obj is None:
            raise Http404
        form = forms.CourtesyCheckForm(request.POST)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, " ".join(str(e) for e in error))
            return redirect(obj.get_absolute_url())
        try:
            services.record_courtesy_check(obj, acting_user=request.user, **form.cleaned_data)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Courtesy check recorded."))
        return redirect(obj.get_absolute_url())
