"""The vetting gate: nobody is trained and no unit equipped without a valid approval.

Three moments are gated, whatever the channel (form, API, import, command), because the
models' `clean()` calls the checks below and every channel runs `full_clean`:

- an Enrollment becomes confirmed (or completed) — the trainee, and the trainee's unit;
- a Participant with the trainee role is marked attended — the person, or the unit;
- an equipment Activity is delivered (status finalisation or closed) — each beneficiary
  unit; and a beneficiary is added to an activity already delivered.

A subject is cleared on a day when its latest decision is an approval valid that day
(past `valid_until` it is not, whether or not `liaison vetting expire` has run yet), and
when no denial or suspension stands on its unit or any unit above it: Organization is a
tree, and a decision against a unit reaches its sub-units. A manager of the workspace
that owns the session, event or activity may let one subject through with a written
reason (GateOverride), which is recorded, kept in history and reported.

Lookups are by sets (`Standings.load`), a fixed number of queries for a whole list.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from liaison.vetting.models import GateOverride, VettingRequest

Status = VettingRequest.Status
BLOCKING = frozenset({Status.DENIED, Status.SUSPENDED})
# What a subject's latest decision can be: expiry ends an approval like a decision does.
DECIDING = frozenset({*VettingRequest.APPROVALS, Status.DENIED, Status.SUSPENDED, Status.EXPIRED})


@dataclass(frozen=True)
class Decision:
    status: str
    valid_until: datetime.date | None


@dataclass
class Standings:
    """The latest decision of each person and unit asked about, and the unit tree above."""

    day: datetime.date
    persons: dict[int, Decision] = field(default_factory=dict)
    units: dict[int, Decision] = field(default_factory=dict)
    parent_of: dict[int, int | None] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        day: datetime.date,
        persons: Iterable[int] = (),
        units: Iterable[int] = (),
        files: QuerySet[Any] | None = None,
    ) -> Standings:
        """Two queries plus one per level of the unit tree, whatever the number asked.
        `files`: the vetting requests to read (all of them for the gate itself; those
        released to the reader for a page)."""
        from liaison.partners.models import Organization

        standings = cls(day)
        person_ids = {p for p in persons if p}
        frontier = {u for u in units if u}
        # The units asked about and every unit above them, one level per query.
        while frontier:
            rows = Organization._base_manager.filter(pk__in=frontier).values_list("pk", "parent")
            found = dict(rows)
            standings.parent_of.update(found)
            frontier = {p for p in found.values() if p and p not in standings.parent_of}
        unit_ids = set(standings.parent_of)
        if not person_ids and not unit_ids:
            return standings
        files = VettingRequest._base_manager.all() if files is None else files
        decisions = (
            files.filter(status__in=DECIDING)
            .filter(Q(subject_person__in=person_ids) | Q(subject_organization__in=unit_ids))
            .order_by("decided_on", "pk")
            .values_list("subject_person", "subject_organization", "status", "valid_until")
        )
        for person_id, unit_id, status, valid_until in decisions:  # latest wins
            if person_id:
                standings.persons[person_id] = Decision(status, valid_until)
            else:
                standings.units[unit_id] = Decision(status, valid_until)
        return standings

    def _valid(self, decision: Decision | None) -> bool:
        return (
            decision is not None
            and decision.status in VettingRequest.APPROVALS
            and decision.valid_until is not None
            and self.day <= decision.valid_until
        )

    def unit_blocked_by(self, unit_id: int | None) -> int | None:
        """The unit (this one or one above) whose denial or suspension stands, if any."""
        seen: set[int] = set()
        node = unit_id
        while node and node not in seen:
            seen.add(node)
            decision = self.units.get(node)
            if decision is not None and decision.status in BLOCKING:
                return node
            node = self.parent_of.get(node)
        return None

    def unit_cleared(self, unit_id: int) -> bool:
        return self._valid(self.units.get(unit_id)) and self.unit_blocked_by(unit_id) is None

    def person_cleared(self, person_id: int, unit_id: int | None = None) -> bool:
        return self._valid(self.persons.get(person_id)) and self.unit_blocked_by(unit_id) is None

    def valid_until(self, person_id: int | None = None, unit_id: int | None = None) -> Any:
        decision = self.persons.get(person_id or 0) if person_id else self.units.get(unit_id or 0)
        return decision.valid_until if decision is not None and self._valid(decision) else None


def _day(*dates: datetime.date | None) -> datetime.date:
    return next((d for d in dates if d is not None), timezone.localdate())


def _previous(instance: Any, *fields: str) -> dict[str, Any] | None:
    """The stored values of a record being changed; None for a new one."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()


def _overridden(gate: str, **target: Any) -> bool:
    return GateOverride._base_manager.filter(gate=gate, **target).exists()


def _refuse(message: str) -> None:
    raise ValidationError(
        message + " " + _("A vetting officer must approve it first, or a manager override it."),
        code="vetting_gate",
    )


# --- the three gates -------------------------------------------------------------------

ENROLLMENT_GATED = frozenset({"confirmed", "completed"})


def check_enrollment(enrollment: Any) -> None:
    """An enrolment is confirmed only for a trainee cleared on the session's first day."""
    if enrollment.status not in ENROLLMENT_GATED or not enrollment.person_id:
        return
    before = _previous(enrollment, "status", "person", "unit", "session")
    if (
        before is not None
        and before["status"] in ENROLLMENT_GATED
        and (before["person"], before["unit"], before["session"])
        == (enrollment.person_id, enrollment.unit_id, enrollment.session_id)
    ):
        return  # already through the gate, and nothing it looked at has changed
    session = enrollment.session
    if _overridden("enrollment", session=session.pk, subject_person=enrollment.person_id):
        return
    day = _day(session.start_date)
    standings = Standings.load(day, [enrollment.person_id], [enrollment.unit_id])
    if not standings.person_cleared(enrollment.person_id, enrollment.unit_id):
        _refuse(
            _(
                "%(person)s holds no valid vetting approval on %(date)s: "
                "the enrolment cannot be confirmed."
            )
            % {"person": enrollment.person, "date": date_format(day)}
        )


def check_participant(participant: Any) -> None:
    """A trainee is marked attended only when cleared on the event's first day."""
    if participant.role != "trainee" or participant.attended is not True:
        return
    before = _previous(participant, "role", "attended", "person", "organization", "event")
    if (
        before is not None
        and before["role"] == "trainee"
        and before["attended"] is True
        and (before["person"], before["organization"], before["event"])
        == (participant.person_id, participant.organization_id, participant.event_id)
    ):
        return
    event = participant.event
    if participant.person_id:
        target: dict[str, Any] = {"subject_person": participant.person_id}
    else:
        target = {"subject_organization": participant.organization_id}
    if _overridden("attendance", event=event.pk, **target):
        return
    day = _day(event.start_date)
    standings = Standings.load(day, [participant.person_id], [participant.organization_id])
    if participant.person_id:
        cleared = standings.person_cleared(participant.person_id, participant.organization_id)
    else:
        cleared = standings.unit_cleared(participant.organization_id)
    if not cleared:
        _refuse(
            _(
                "%(subject)s holds no valid vetting approval on %(date)s: "
                "the trainee cannot be marked attended."
            )
            % {"subject": participant.person or participant.organization, "date": date_format(day)}
        )


DELIVERED = frozenset({"finalisation", "closed"})


def is_delivery(activity: Any) -> bool:
    return activity.activity_type == "equipment" and activity.status in DELIVERED


def delivery_day(activity: Any) -> datetime.date:
    return _day(activity.actual_end, activity.actual_start)


def uncleared_beneficiaries(activity: Any, unit_ids: Iterable[int]) -> list[int]:
    """The beneficiary units not cleared on the delivery day and not overridden."""
    units = set(unit_ids)
    if not units:
        return []
    overridden = set(
        GateOverride._base_manager.filter(
            gate="delivery", activity=activity.pk, subject_organization__in=units
        ).values_list("subject_organization", flat=True)
    )
    standings = Standings.load(delivery_day(activity), units=units)
    return sorted(u for u in units if u not in overridden and not standings.unit_cleared(u))


def check_activity(activity: Any) -> None:
    """An equipment activity is delivered only to beneficiary units cleared that day."""
    if not is_delivery(activity) or activity.pk is None:
        return  # a new activity has no beneficiaries yet: they are checked as they come
    before = _previous(activity, "activity_type", "status", "actual_start", "actual_end")
    if (
        before is not None
        and is_delivery_values(before)
        and delivery_day(activity) == _day(before["actual_end"], before["actual_start"])
    ):
        return
    from liaison.activities.models import ActivityParticipation

    units = ActivityParticipation._base_manager.filter(
        activity=activity.pk, role="beneficiary"
    ).values_list("organization", flat=True)
    refused = uncleared_beneficiaries(activity, units)
    if refused:
        _refuse(
            ngettext(
                "%(count)d beneficiary unit holds no valid vetting approval on %(date)s: "
                "the equipment cannot be marked delivered.",
                "%(count)d beneficiary units hold no valid vetting approval on %(date)s: "
                "the equipment cannot be marked delivered.",
                len(refused),
            )
            % {"count": len(refused), "date": date_format(delivery_day(activity))}
        )


def is_delivery_values(values: dict[str, Any]) -> bool:
    return values["activity_type"] == "equipment" and values["status"] in DELIVERED


def check_participation(participation: Any) -> None:
    """A unit is added as beneficiary of delivered equipment only when cleared."""
    if participation.role != "beneficiary" or not participation.organization_id:
        return
    activity = participation.activity
    if not is_delivery(activity):
        return
    before = _previous(participation, "role", "organization")
    if before == {"role": "beneficiary", "organization": participation.organization_id}:
        return
    if uncleared_beneficiaries(activity, [participation.organization_id]):
        _refuse(
            _(
                "%(unit)s holds no valid vetting approval on %(date)s: "
                "the equipment cannot be marked delivered to it."
            )
            % {"unit": participation.organization, "date": date_format(delivery_day(activity))}
        )
