"""Writes of the vetting workflow: every page, command and task calls these.

Each is atomic and takes the acting user by keyword; the history (simple_history, with
the actor of core.context) records who changed what.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import access
from liaison.core.choices import Role
from liaison.core.context import acting_as, current_actor
from liaison.core.querysets import visible
from liaison.vetting.gate import Standings
from liaison.vetting.models import (
    CourtesyCheck,
    GateOverride,
    HitsOn,
    Remediation,
    VettingBatch,
    VettingRequest,
    rejection_message,
    unremediated_rejection,
    validity_days,
)

Status = VettingRequest.Status


def _status_label(status: str) -> str:
    return str(dict(Status.choices).get(status, status)).lower()


def _refuse_move(current: VettingRequest, status: str) -> ValidationError:
    return ValidationError(
        _("A %(current)s request cannot become %(new)s.")
        % {"current": _status_label(current.status), "new": _status_label(status)}
    )


def _locked(request: VettingRequest, acting_user: Any) -> VettingRequest:
    """The file's row, locked for the rest of the transaction, if `acting_user` may
    change it (a vetting officer of its workspace)."""
    if not access.can(acting_user, access.CHANGE, request):
        raise PermissionDenied
    return VettingRequest._base_manager.select_for_update().get(pk=request.pk)


def _save(locked: VettingRequest, acting_user: Any) -> VettingRequest:
    """Validate and save, the history naming the officer even outside a request (a
    command, a shell): the actor of core.context, else `acting_user`."""
    locked.full_clean()
    if current_actor() is None:
        with acting_as(acting_user, channel="command"):
            locked.save()
    else:
        locked.save()
    return locked


def decide(
    request: VettingRequest,
    status: str,
    *,
    acting_user: Any,
    reason: str = "",
    evidence: str = "",
    valid_until: datetime.date | None = None,
    on: datetime.date | None = None,
    conditions: str = "",
    hits_on: str = "",
) -> VettingRequest:
    """Move a file to `status` (in review, approved, approved with conditions, denied,
    suspended), recording who decided, when and why. A decision needs a reason; an
    approval lasts LIAISON_VETTING_VALIDITY_DAYS from the decision unless `valid_until`
    says otherwise, and an approval with conditions states them. `hits_on` records
    whether what was found concerns the individual, the unit or both. A unit rejected
    before, without a remediation since, is not approved."""
    if not access.can(acting_user, access.CHANGE, request):
        raise PermissionDenied
    if status in VettingRequest.DECISIONS and not reason.strip():
        raise ValidationError(_("Write the reasons for the decision."))
    if hits_on and hits_on not in HitsOn.values:
        raise ValidationError(_("Unknown value for what the information concerns."))
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(request, acting_user)
        if status not in VettingRequest.TRANSITIONS.get(locked.status, frozenset()):
            raise _refuse_move(locked, status)
        if status in VettingRequest.APPROVALS and locked.subject_organization_id:
            rejection = unremediated_rejection(locked.subject_organization_id)
            if rejection is not None and rejection.pk != locked.pk:
                raise ValidationError(rejection_message(rejection))
        locked.status = status
        if reason.strip():
            locked.decision_reason = reason.strip()
        if evidence.strip():
            locked.evidence = evidence.strip()
        if hits_on:
            locked.hits_on = hits_on
        if status in VettingRequest.DECISIONS:
            locked.decided_on = max(day, locked.requested_on)
            locked.decided_by = acting_user
            if status in VettingRequest.APPROVALS:
                locked.conditions = conditions.strip()
                locked.valid_until = valid_until or locked.decided_on + datetime.timedelta(
                    days=validity_days()
                )
        return _save(locked, acting_user)


def suspend(
    request: VettingRequest,
    *,
    acting_user: Any,
    reason: str,
    evidence: str = "",
    on: datetime.date | None = None,
) -> VettingRequest:
    """Suspend a file (an approval on new information, or a review pending it): the
    subject no longer passes the gate, nor, for a unit, the units below it. The approval's
    end of validity is kept, for a reinstatement."""
    return decide(
        request, Status.SUSPENDED, acting_user=acting_user, reason=reason, evidence=evidence, on=on
    )


def cancel(
    request: VettingRequest, *, acting_user: Any, reason: str, on: datetime.date | None = None
) -> VettingRequest:
    """Close an open file that is no longer needed (the trainee withdrew, the activity was
    cancelled), with the reason, who and when. Only an open file (requested, in review)
    may be cancelled: a decision is never undone this way. A cancelled file clears no one
    and blocks no one, and is not reopened: request vetting again if needed."""
    if not reason.strip():
        raise ValidationError(_("Write the reason for the cancellation."))
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(request, acting_user)
        if locked.status not in VettingRequest.OPEN:
            raise _refuse_move(locked, Status.CANCELLED)
        locked.status = Status.CANCELLED
        locked.decision_reason = reason.strip()
        locked.decided_on = max(day, locked.requested_on)
        locked.decided_by = acting_user
        return _save(locked, acting_user)


def reinstate(
    request: VettingRequest,
    *,
    acting_user: Any,
    reason: str,
    evidence: str = "",
    on: datetime.date | None = None,
) -> VettingRequest:
    """Lift the suspension of an approval: approved again from `on` (today) until the end
    of validity it had, which must not have passed (else: a new vetting). A file
    suspended before it was ever approved has nothing to reinstate: decide it instead."""
    if not reason.strip():
        raise ValidationError(_("Write the reasons for the decision."))
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(request, acting_user)
        if locked.status != Status.SUSPENDED:
            raise _refuse_move(locked, Status.APPROVED)
        if locked.valid_until is None or not was_approved(locked):
            raise ValidationError(
                _("This file was never approved: there is no approval to reinstate.")
            )
        if locked.valid_until < day:
            raise ValidationError(
                _("The approval ended on %(date)s: request a new vetting instead.")
                % {"date": locked.valid_until.isoformat()}
            )
        # Back to the approval it was, conditions included (kept through the suspension).
        locked.status = Status.APPROVED_CONDITIONS if locked.conditions else Status.APPROVED
        locked.decision_reason = reason.strip()
        if evidence.strip():
            locked.evidence = evidence.strip()
        locked.decided_on = max(day, locked.requested_on)
        locked.decided_by = acting_user
        return _save(locked, acting_user)


def was_approved(request: VettingRequest) -> bool:
    """Whether the file's history holds an approval (the one a suspension suspended)."""
    history: Any = request.history
    return bool(history.filter(status__in=VettingRequest.APPROVALS).exists())


def may_reinstate(request: VettingRequest, today: datetime.date | None = None) -> bool:
    """Whether the page offers to reinstate: a suspended approval still within validity."""
    today = today or timezone.localdate()
    return (
        request.status == Status.SUSPENDED
        and request.valid_until is not None
        and request.valid_until >= today
        and was_approved(request)
    )


def expire(today: datetime.date | None = None) -> int:
    """Mark approvals past their last valid day expired; the number marked."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        lapsed = VettingRequest._base_manager.select_for_update().filter(
            status__in=VettingRequest.APPROVALS, valid_until__lt=today
        )
        for request in lapsed:  # one by one, so that each change is in history
            request.status = Status.EXPIRED
            request.save(update_fields=["status", "updated_at", "updated_by", "version"])
            count += 1
    return count


@dataclass
class Subject:
    person: Any = None
    unit: Any = None
    enrollment: Any = None
    label: str = ""


def _owner_for(user: Any, record: Any) -> Any:
    """The workspace a new file goes to: the record's own if the user vets there, else
    the first where they do."""
    from liaison.core.models import Workspace

    mine = access.workspaces_with_role(user, frozenset({Role.VETTING_OFFICER}))
    if not mine:
        raise PermissionDenied
    pk = record.owner_id if record.owner_id in mine else min(mine)
    return Workspace.objects.get(pk=pk)


def open_or_valid(
    persons: set[int], units: set[int], day: datetime.date
) -> tuple[set[int], set[int]]:
    """The persons and units that already have an open request or a valid approval."""
    rows = (
        VettingRequest._base_manager.filter(
            Q(subject_person__in=persons) | Q(subject_organization__in=units)
        )
        .filter(
            Q(status__in=VettingRequest.OPEN)
            | Q(status__in=VettingRequest.APPROVALS, valid_until__gte=day)
        )
        .values_list("subject_person", "subject_organization")
    )
    return {p for p, _u in rows if p}, {u for _p, u in rows if u}


def request_for_session(session: Any, *, acting_user: Any) -> list[VettingRequest]:
    """One request per trainee of the session (withdrawn aside) who has neither an open
    request nor an approval valid on the first day; the requests made."""
    from liaison.partners.models import Person
    from liaison.training.models import Enrollment

    owner = _owner_for(acting_user, session)
    # Only the trainees the officer may see: a request names its subject.
    enrollments = list(
        visible(Enrollment, acting_user)
        .filter(session=session, person__in=visible(Person, acting_user).values("pk"))
        .exclude(status="withdrawn")
        .order_by("pk")
    )
    day = session.start_date or timezone.localdate()
    covered, _units = open_or_valid({e.person_id for e in enrollments}, set(), day)
    made = []
    with transaction.atomic():
        for enrollment in enrollments:
            if enrollment.person_id in covered:
                continue
            made.append(
                _new_request(
                    owner, session, subject_person=enrollment.person, enrollment=enrollment
                )
            )
            covered.add(enrollment.person_id)
    return made


def request_for_activity(activity: Any, *, acting_user: Any) -> list[VettingRequest]:
    """One request per beneficiary unit of the activity without an open request or an
    approval valid on its (planned) start."""
    from liaison.activities.models import ActivityParticipation
    from liaison.partners.models import Organization

    owner = _owner_for(acting_user, activity)
    participations = list(
        visible(ActivityParticipation, acting_user)
        .filter(
            activity=activity,
            role="beneficiary",
            organization__in=visible(Organization, acting_user).values("pk"),
        )
        .order_by("pk")
    )
    day = activity.planned_start or activity.actual_start or timezone.localdate()
    _persons, covered = open_or_valid(set(), {p.organization_id for p in participations}, day)
    # A rejected unit without remediation gets no new file (VettingRequest.clean refuses
    # it): left out here, and flagged on the coverage page as not cleared.
    covered |= {
        p.organization_id
        for p in participations
        if unremediated_rejection(p.organization_id) is not None
    }
    made = []
    with transaction.atomic():
        for participation in participations:
            if participation.organization_id in covered:
                continue
            made.append(
                _new_request(
                    owner,
                    activity,
                    subject_organization=participation.organization,
                    activity=activity,
                )
            )
            covered.add(participation.organization_id)
    return made


def _new_request(owner: Any, purpose: Any, **fields: Any) -> VettingRequest:
    request = VettingRequest(
        owner=owner,
        marking=purpose.marking,
        release=purpose.release if purpose.owner_id == owner.pk else "private",
        requested_on=timezone.localdate(),
        **fields,
    )
    request.full_clean()
    request.save()
    if purpose.owner_id == owner.pk and purpose.release == "named":
        request.released_to.set(purpose.released_to.all())
    return request


# --- rejections, courtesy checks, batches ---------------------------------------------


def remediate(
    request: VettingRequest,
    *,
    acting_user: Any,
    description: str,
    evidence: str,
    on: datetime.date | None = None,
) -> Remediation:
    """Record the remediation of a rejected unit (what it did, the evidence, who decided):
    new files for the unit may then be opened; the unit is vetted again, not cleared."""
    if not access.can(acting_user, access.CHANGE, request):
        raise PermissionDenied
    if request.status != Status.DENIED or request.subject_organization_id is None:
        raise ValidationError(_("Only a rejected unit's file takes a remediation."))
    with transaction.atomic():
        _locked(request, acting_user)
        remediation = Remediation(
            vetting_request=request,
            remediated_on=on or timezone.localdate(),
            description=description.strip(),
            evidence=evidence.strip(),
            decided_by=acting_user,
        )
        remediation.full_clean()
        _save_as(remediation, acting_user)
    return remediation


def record_courtesy_check(
    request: VettingRequest, *, acting_user: Any, **fields: Any
) -> CourtesyCheck:
    """A dated entry on the file: which section was consulted, when, and what it said."""
    if not access.can(acting_user, access.CHANGE, request):
        raise PermissionDenied
    check = CourtesyCheck(vetting_request=request, recorded_by=acting_user, **fields)
    check.full_clean()
    with transaction.atomic():
        _save_as(check, acting_user)
    return check


def add_to_batch(
    batch: VettingBatch, requests: list[VettingRequest], *, acting_user: Any
) -> list[VettingRequest]:
    """Put files (open ones, of the batch's workspace) in a batch being prepared: all or
    none, and never more than VettingBatch.MAX_SUBJECTS in all."""
    if not access.can(acting_user, access.CHANGE, batch):
        raise PermissionDenied
    with transaction.atomic():
        # The batch row is locked so that two officers filling it at once cannot pass 50.
        locked = VettingBatch._base_manager.select_for_update().get(pk=batch.pk)
        if locked.status != VettingBatch.Status.PREPARING:
            raise ValidationError(_("Only a batch being prepared takes new requests."))
        already = VettingRequest._base_manager.filter(batch=locked).count()
        new = [r for r in requests if r.batch_id != locked.pk]
        _batch_limit(already, len(new))
        for request in new:
            if not access.can(acting_user, access.CHANGE, request):
                raise PermissionDenied
            if request.owner_id != locked.owner_id or request.status not in VettingRequest.OPEN:
                raise ValidationError(
                    _("Request %(pk)d is not an open request of the batch's workspace.")
                    % {"pk": request.pk}
                )
            row = VettingRequest._base_manager.select_for_update().get(pk=request.pk)
            row.batch = locked
            _save(row, acting_user)
    return new


def _batch_limit(already: int, adding: int) -> None:
    if already + adding > VettingBatch.MAX_SUBJECTS:
        raise ValidationError(
            _(
                "A batch holds at most %(max)d subjects, as INVEST takes them: this one "
                "would hold %(count)d. Start another batch."
            )
            % {"max": VettingBatch.MAX_SUBJECTS, "count": already + adding}
        )


def import_into_batch(
    batch: VettingBatch, rows: list[tuple[int, dict[str, str]]], *, acting_user: Any
) -> list[VettingRequest]:
    """One new open file per row (columns person_id or organization_id, by id) in a batch
    being prepared: all or nothing, the errors named by line, never more than 50 in all."""
    from liaison.partners.models import Organization, Person

    if not access.can(acting_user, access.CHANGE, batch):
        raise PermissionDenied
    errors: list[str] = []
    made: list[VettingRequest] = []
    with transaction.atomic():
        locked = VettingBatch._base_manager.select_for_update().get(pk=batch.pk)
        if locked.status != VettingBatch.Status.PREPARING:
            raise ValidationError(_("Only a batch being prepared takes new requests."))
        _batch_limit(VettingRequest._base_manager.filter(batch=locked).count(), len(rows))
        for line, row in rows:
            person_id = (row.get("person_id") or "").strip()
            unit_id = (row.get("organization_id") or "").strip()
            person = (
                visible(Person, acting_user).filter(pk=person_id).first()
                if person_id.isdigit()
                else None
            )
            unit = (
                visible(Organization, acting_user).filter(pk=unit_id).first()
                if unit_id.isdigit()
                else None
            )
            if (person is None) == (unit is None) or (person_id and unit_id):
                errors.append(
                    _("Line %(line)d: give one person_id or one organization_id you see.")
                    % {"line": line}
                )
                continue
            request = VettingRequest(
                owner=locked.owner,
                requested_on=timezone.localdate(),
                batch=locked,
                subject_person=person,
                subject_organization=unit,
            )
            try:
                request.full_clean()
            except ValidationError as refused:
                errors.append(
                    _("Line %(line)d: %(error)s")
                    % {"line": line, "error": " ".join(refused.messages)}
                )
                continue
            _save_as(request, acting_user)
            made.append(request)
        if errors:
            raise ValidationError(errors)  # rolls back every row
    return made


def set_batch_status(batch: VettingBatch, status: str, *, acting_user: Any) -> VettingBatch:
    """Submitted (with the day), then results received; never back."""
    order = list(VettingBatch.Status.values)
    if not access.can(acting_user, access.CHANGE, batch):
        raise PermissionDenied
    with transaction.atomic():
        locked = VettingBatch._base_manager.select_for_update().get(pk=batch.pk)
        if status not in order or order.index(status) != order.index(locked.status) + 1:
            raise ValidationError(_("This batch cannot take that status now."))
        if status == VettingBatch.Status.SUBMITTED:
            if not VettingRequest._base_manager.filter(batch=locked).exists():
                raise ValidationError(_("An empty batch is not submitted."))
            locked.submitted_on = timezone.localdate()
        locked.status = status
        locked.full_clean()
        _save_as(locked, acting_user)
    return locked


def _save_as(record: Any, acting_user: Any) -> None:
    if current_actor() is None:
        with acting_as(acting_user, channel="command"):
            record.save()
    else:
        record.save()


def expiring(user: Any, today: datetime.date | None = None, days: int = 60) -> Any:
    """Approvals of the files `user` holds that end within `days` days (default 60)."""
    today = today or timezone.localdate()
    return (
        visible(VettingRequest, user)
        .filter(
            status__in=VettingRequest.APPROVALS,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )
        .select_related("subject_person", "subject_organization", "batch")
        .order_by("valid_until", "pk")
    )


# --- overrides ---------------------------------------------------------------------------

GATE_OF = {"session": "enrollment", "event": "attendance", "activity": "delivery"}


def may_override(user: Any, purpose: Any) -> bool:
    """Managers of the workspace that owns the session, event or activity."""
    managers = access.workspaces_with_role(user, frozenset({Role.MANAGER}))
    return (
        purpose.owner_id in managers and visible(type(purpose), user).filter(pk=purpose.pk).exists()
    )


def grant_override(
    purpose: Any, *, acting_user: Any, reason: str, person: Any = None, unit: Any = None
) -> GateOverride:
    """Let one person (session, event) or unit (activity) through the gate, in writing."""
    if not may_override(acting_user, purpose):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Write the reason for the override."))
    kind = purpose._meta.model_name
    override = GateOverride(
        gate=GATE_OF[kind],
        reason=reason.strip(),
        granted_by=acting_user,
        subject_person=person,
        subject_organization=unit if person is None else None,
        **{kind: purpose},
    )
    override.full_clean()
    with transaction.atomic():
        override.save()
    return override


# --- coverage and reminders ----------------------------------------------------------


@dataclass
class Row:
    subject: Any
    cleared: bool
    valid_until: datetime.date | None
    overridden: bool
    pending: bool

    @property
    def is_unit(self) -> bool:
        from liaison.partners.models import Organization

        return isinstance(self.subject, Organization)


def files_of(user: Any) -> Any:
    """The vetting requests whose clearance (status, valid until) `user` may know."""
    return VettingRequest.objects.released_to_user(user, None)


def session_coverage(session: Any, enrollments: list[Any], user: Any) -> list[Row]:
    """Who of the trainees is cleared on the first day, as far as `user` may know: a
    fixed number of queries whatever the number of trainees."""
    day = session.start_date or timezone.localdate()
    persons = {e.person_id for e in enrollments}
    units = {e.unit_id for e in enrollments if e.unit_id}
    standings = Standings.load(day, persons, units, files_of(user))
    overridden = set(
        GateOverride._base_manager.filter(gate="enrollment", session=session).values_list(
            "subject_person", flat=True
        )
    )
    pending, _units = _open(persons, set(), user)
    return [
        Row(
            e.person,
            standings.person_cleared(e.person_id, e.unit_id),
            standings.valid_until(person_id=e.person_id),
            e.person_id in overridden,
            e.person_id in pending,
        )
        for e in enrollments
    ]


def event_coverage(event: Any, participants: list[Any], user: Any) -> list[Row]:
    """Who of an event's trainees (persons, or units when no person is named) is cleared
    on its first day, as far as `user` may know."""
    day = event.start_date or timezone.localdate()
    persons = {p.person_id for p in participants if p.person_id}
    units = {p.organization_id for p in participants if p.organization_id}
    standings = Standings.load(day, persons, units, files_of(user))
    overridden = set(
        GateOverride._base_manager.filter(gate="attendance", event=event).values_list(
            "subject_person", "subject_organization"
        )
    )
    pending_persons, pending_units = _open(persons, units, user)
    rows = []
    for p in participants:
        if p.person_id:
            cleared = standings.person_cleared(p.person_id, p.organization_id)
            until = standings.valid_until(person_id=p.person_id)
            key, pending = (p.person_id, None), p.person_id in pending_persons
        else:
            cleared = standings.unit_cleared(p.organization_id)
            until = standings.valid_until(unit_id=p.organization_id)
            key, pending = (None, p.organization_id), p.organization_id in pending_units
        rows.append(Row(p.person or p.organization, cleared, until, key in overridden, pending))
    return rows


def activity_coverage(activity: Any, participations: list[Any], user: Any) -> list[Row]:
    from liaison.vetting.gate import delivery_day

    units = {p.organization_id for p in participations}
    day = activity.planned_start if activity.planned_start and not activity.actual_start else None
    standings = Standings.load(day or delivery_day(activity), units=units, files=files_of(user))
    overridden = set(
        GateOverride._base_manager.filter(gate="delivery", activity=activity).values_list(
            "subject_organization", flat=True
        )
    )
    _persons, pending = _open(set(), units, user)
    return [
        Row(
            p.organization,
            standings.unit_cleared(p.organization_id),
            standings.valid_until(unit_id=p.organization_id),
            p.organization_id in overridden,
            p.organization_id in pending,
        )
        for p in participations
    ]


def _open(persons: set[int], units: set[int], user: Any) -> tuple[set[int], set[int]]:
    rows = (
        files_of(user)
        .filter(Q(subject_person__in=persons) | Q(subject_organization__in=units))
        .filter(status__in=VettingRequest.OPEN)
        .values_list("subject_person", "subject_organization")
    )
    return {p for p, _u in rows if p}, {u for _p, u in rows if u}


@dataclass
class Reminder:
    subject: Any
    valid_until: datetime.date
    purpose: Any
    date: datetime.date


def reminders(user: Any = None, today: datetime.date | None = None) -> list[Reminder]:
    """Approvals still valid today that end before a planned session or activity of their
    subject starts (or ends): what to renew. Only what `user` sees, when given."""
    from liaison.activities.models import Activity, ActivityParticipation
    from liaison.training.models import Enrollment, Session

    today = today or timezone.localdate()

    def scope(model: Any) -> Any:
        return model._base_manager.all() if user is None else visible(model, user)

    enrollments = (
        scope(Enrollment)
        .filter(session__in=scope(Session).filter(start_date__gte=today).values("pk"))
        .exclude(status__in=["withdrawn"])
        .exclude(session__status="cancelled")
        .select_related("person", "session__course")
    )
    participations = (
        scope(ActivityParticipation)
        .filter(
            role="beneficiary",
            activity__in=scope(Activity)
            .filter(Q(planned_start__gte=today) | Q(planned_end__gte=today))
            .exclude(status__in=["closed", "cancelled"])
            .values("pk"),
        )
        .select_related("organization", "activity")
    )
    enrollments = list(enrollments)
    participations = list(participations)
    files = VettingRequest._base_manager.all() if user is None else files_of(user)
    approvals = (
        files.filter(status__in=VettingRequest.APPROVALS, valid_until__gte=today)
        .filter(
            Q(subject_person__in={e.person_id for e in enrollments})
            | Q(subject_organization__in={p.organization_id for p in participations})
        )
        .order_by("valid_until")
        .values_list("subject_person", "subject_organization", "valid_until")
    )
    until_person: dict[int, Any] = {}
    until_unit: dict[int, Any] = {}
    for person_id, unit_id, valid_until in approvals:  # the longest approval counts
        if person_id:
            until_person[person_id] = valid_until
        else:
            until_unit[unit_id] = valid_until
    found = []
    for e in enrollments:
        needed: datetime.date = e.session.end_date or e.session.start_date
        until = until_person.get(e.person_id)
        if until is not None and until < needed:
            found.append(Reminder(e.person, until, e.session, needed))
    for p in participations:
        planned: datetime.date | None = p.activity.planned_end or p.activity.planned_start
        until = until_unit.get(p.organization_id)
        if until is not None and planned is not None and until < planned:
            found.append(Reminder(p.organization, until, p.activity, planned))
    return sorted(found, key=lambda r: (r.valid_until, str(r.subject)))
