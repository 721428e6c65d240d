"""Human-rights vetting requests, and sanctions lists with their scored hits."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.core.context import history_user
from liaison.core.history import HistoryAuditFields
from liaison.core.models import ChildModel, OwnedModel, date_order_constraint
from liaison.core.querysets import OwnedQuerySet
from liaison.core.withholding import ReaderQuerySet


def validity_days() -> int:
    """How long an approval lasts when the officer gives no date (LIAISON_VETTING_VALIDITY_DAYS)."""
    return int(getattr(settings, "LIAISON_VETTING_VALIDITY_DAYS", 365))


class VettingQuerySet(OwnedQuerySet):
    def clearances_for(self, user: Any) -> models.QuerySet[Any]:
        """What anyone who sees the subject may know: cleared or not, and until when.

        The file itself (reasons, evidence, who decided) stays with vetting officers.
        """
        return self.released_to_user(user, None).values(
            "pk", "subject_person_id", "subject_organization_id", "status", "valid_until"
        )


class HitsOn(models.TextChoices):
    INDIVIDUAL = "individual", _("The individual")
    UNIT = "unit", _("The unit")
    BOTH = "both", _("The individual and the unit")


class VettingBatch(OwnedModel):
    """Requests sent together, as INVEST takes them: at most MAX_SUBJECTS subjects."""

    vetting_file = True
    MAX_SUBJECTS = 50

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted")
        COMPLETED = "completed", _("Results received")

    reference = models.CharField(_("reference"), max_length=100)
    status = models.CharField(
        _("batch status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("vetting batch")
        verbose_name_plural = _("vetting batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class VettingRequest(OwnedModel):
    # Only vetting officers see these files (core.querysets, core.access).
    vetting_file = True
    SENSITIVE_FIELDS = ("decision_reason", "evidence", "decided_by")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        APPROVED_CONDITIONS = "approved_conditions", _("Approved with conditions")
        # INVEST's "rejected": the value stays "denied" (files and history already hold it).
        DENIED = "denied", _("Denied")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    subject_person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vetting_requests",
        verbose_name=_("person vetted"),
    )
    subject_organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vetting_requests",
        verbose_name=_("unit vetted"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vetting_requests",
        verbose_name=_("for activity"),
    )
    enrollment = models.ForeignKey(
        "training.Enrollment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vetting_requests",
        verbose_name=_("for enrolment"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vetting_requests",
        verbose_name=_("for event"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    evidence = models.TextField(_("evidence and sources consulted"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    conditions = models.TextField(
        _("conditions of the approval"),
        blank=True,
        help_text=_(
            "What an approval with conditions requires (for example: no weapons training)."
        ),
    )
    hits_on = models.CharField(
        _("derogatory information on"),
        max_length=10,
        choices=HitsOn.choices,
        blank=True,
        help_text=_("Whether what was found concerns the individual, the unit, or both."),
    )
    batch = models.ForeignKey(
        "vetting.VettingBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("batch"),
    )

    objects = VettingQuerySet.as_manager()  # type: ignore[misc]  # a richer manager

    class Meta:
        verbose_name = _("vetting request")
        verbose_name_plural = _("vetting requests")
        ordering = ["-requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject_person__isnull=False) & Q(subject_organization__isnull=True))
                | (Q(subject_person__isnull=True) & Q(subject_organization__isnull=False)),
                name="vetting_one_subject",
                violation_error_message=_("A vetting request is for one person or one unit."),
            ),
            date_order_constraint("requested_on", "decided_on", "vetting_decided_after_request"),
            date_order_constraint("decided_on", "valid_until", "vetting_valid_after_decision"),
        ]

    def __str__(self) -> str:
        subject = self.subject_person or self.subject_organization
        return f"{subject} ({self.get_status_display()})"

    # What only the decision services (services.decide, suspend, cancel, reinstate,
    # expire) change: every other channel (edit form, admin, API) shows them read-only.
    DECISION_FIELDS = (
        "status", "decided_on", "decided_by", "decision_reason", "evidence", "valid_until",
        "conditions", "hits_on",
    )  # fmt: skip
    # Who is vetted: fixed once a file has left the queue, so that an approval (or a
    # denial) never moves to another subject without a decision.
    SUBJECT_FIELDS = ("subject_person", "subject_organization")

    # Open: waiting for an officer. Decisions: recorded with who, when and why.
    OPEN = frozenset({Status.REQUESTED, Status.IN_REVIEW})
    # An approval with conditions clears like an approval: its conditions travel with it.
    APPROVALS = frozenset({Status.APPROVED, Status.APPROVED_CONDITIONS})
    DECISIONS = frozenset({*APPROVALS, Status.DENIED, Status.SUSPENDED})
    # The moves an officer may make from each state (expiry is the clock's, see expire()).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.REQUESTED: frozenset({Status.IN_REVIEW, *APPROVALS, Status.DENIED}),
        Status.IN_REVIEW: frozenset({*APPROVALS, Status.DENIED, Status.SUSPENDED}),
        Status.APPROVED: frozenset({Status.SUSPENDED, Status.DENIED}),
        Status.APPROVED_CONDITIONS: frozenset({Status.SUSPENDED, Status.DENIED}),
        Status.SUSPENDED: frozenset({Status.IN_REVIEW, *APPROVALS, Status.DENIED}),
        Status.DENIED: frozenset({Status.IN_REVIEW}),
        Status.EXPIRED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.status == self.Status.APPROVED_CONDITIONS and not self.conditions.strip():
            errors["conditions"] = _("An approval with conditions states its conditions.")
        if self.batch_id is not None:
            others = VettingRequest._base_manager.filter(batch_id=self.batch_id)
            if self.pk is not None:
                others = others.exclude(pk=self.pk)
            if others.count() >= VettingBatch.MAX_SUBJECTS:
                errors["batch"] = _(
                    "A batch holds at most %(max)d subjects, as INVEST takes them: "
                    "start another batch."
                ) % {"max": VettingBatch.MAX_SUBJECTS}
        if self.pk is None and self.subject_organization_id is not None:
            rejection = unremediated_rejection(self.subject_organization_id)
            if rejection is not None:
                errors["subject_organization"] = rejection_message(rejection)
        if errors:
            raise ValidationError(errors)

    def locked_fields(self) -> tuple[str, ...]:
        """The fields no edit may change: the decision's always, the subject's once the
        file is no longer open (a new file is open)."""
        if self.pk is None or self.status in self.OPEN:
            return self.DECISION_FIELDS
        return (*self.SUBJECT_FIELDS, *self.DECISION_FIELDS)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Whatever the channel (form, API, import), a decision carries its date and an
        # approval its end of validity: one year from the decision unless told otherwise.
        if self.status in self.DECISIONS and self.decided_on is None:
            self.decided_on = timezone.localdate()
        if self.status in self.APPROVALS and self.valid_until is None:
            assert self.decided_on is not None
            self.valid_until = self.decided_on + datetime.timedelta(days=validity_days())
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        """An approval counts from its decision to its last valid day, whatever the status
        field says about expiry (the expire command only catches up with the clock)."""
        return (
            self.status in self.APPROVALS
            and self.valid_until is not None
            and (self.decided_on is None or self.decided_on <= day)
            and day <= self.valid_until
        )


def unremediated_rejection(unit_id: int) -> VettingRequest | None:
    """The unit's latest rejection if no remediation was recorded after it: until then
    no new file for the unit may be opened nor approved (all files are read: the rule
    holds whoever asks)."""
    rejection = (
        VettingRequest._base_manager.filter(
            subject_organization_id=unit_id, status=VettingRequest.Status.DENIED
        )
        .order_by("-decided_on", "-pk")
        .first()
    )
    if rejection is None or Remediation._base_manager.filter(vetting_request=rejection).exists():
        return None
    return rejection


def rejection_message(rejection: VettingRequest) -> Any:
    return _(
        "This unit was rejected on %(date)s (file %(pk)d) and stays rejected until a "
        "remediation is recorded on that file."
    ) % {
        "date": rejection.decided_on.isoformat() if rejection.decided_on else "?",
        "pk": rejection.pk,
    }


class Remediation(ChildModel):
    """What a rejected unit did about it (credible steps to bring those responsible to
    justice), recorded by a vetting officer with the evidence: lifts the rejection's block
    on new files for the unit (the unit is then vetted again, never cleared by this)."""

    parent_field = "vetting_request"
    vetting_file = True

    # Not "request": the history rows already hold a request_id (core.history).
    vetting_request = models.ForeignKey(
        VettingRequest,
        on_delete=models.PROTECT,
        related_name="remediations",
        verbose_name=_("rejected file"),
    )
    remediated_on = models.DateField(_("recorded on"))
    description = models.TextField(_("remediation"))
    evidence = models.TextField(_("evidence"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("remediation")
        verbose_name_plural = _("remediations")
        ordering = ["-remediated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(evidence="") & ~Q(description=""),
                name="remediation_has_evidence",
                violation_error_message=_("A remediation needs its description and evidence."),
            ),
        ]

    def __str__(self) -> str:
        # Named by itself, not by its file (whose subject a reader may not see): it is
        # always shown on the file's page.
        return f"{self._meta.verbose_name} — {date_format(self.remediated_on)}"


class CourtesyCheck(ChildModel):
    """A dated check with another section (the embassy's, another donor's) on the file."""

    parent_field = "vetting_request"
    vetting_file = True

    class Section(models.TextChoices):
        EMBASSY_SECURITY = "embassy_security", _("Embassy: security section")
        EMBASSY_DEFENCE = "embassy_defence", _("Embassy: defence attaché")
        EMBASSY_POLITICAL = "embassy_political", _("Embassy: political section")
        EMBASSY_OTHER = "embassy_other", _("Embassy: other section")
        OTHER_DONOR = "other_donor", _("Another donor")

    class Outcome(models.TextChoices):
        NOTHING_FOUND = "nothing", _("No derogatory information")
        DEROGATORY = "derogatory", _("Derogatory information")
        NO_ANSWER = "no_answer", _("No answer yet")

    vetting_request = models.ForeignKey(
        VettingRequest,
        on_delete=models.CASCADE,
        related_name="courtesy_checks",
        verbose_name=_("vetting request"),
    )
    section = models.CharField(_("section consulted"), max_length=20, choices=Section.choices)
    consulted = models.CharField(
        _("who was consulted"), max_length=200, blank=True, help_text=_("Donor or office.")
    )
    checked_on = models.DateField(_("checked on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("courtesy check")
        verbose_name_plural = _("courtesy checks")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_section_display()} ({self.checked_on})"


class GateOverrideQuerySet(ReaderQuerySet):
    def visible_to(self, user: Any) -> models.QuerySet[Any]:
        """An override follows the record it lets through (session, event or activity)."""
        from liaison.activities.models import Activity
        from liaison.events.models import Event
        from liaison.training.models import Session

        return self.filter(
            Q(session__in=Session.objects.visible_to(user).values("pk"))
            | Q(event__in=Event.objects.visible_to(user).values("pk"))
            | Q(activity__in=Activity.objects.visible_to(user).values("pk"))
        ).read_for(user)


class GateOverride(models.Model):
    """A manager's written decision to let a subject through the vetting gate once: for
    one person in one session or event, or one unit receiving one activity's equipment."""

    class Gate(models.TextChoices):
        ENROLLMENT = "enrollment", _("Enrolment confirmed")
        ATTENDANCE = "attendance", _("Attendance as a trainee")
        DELIVERY = "delivery", _("Equipment delivered")

    gate = models.CharField(_("gate"), max_length=20, choices=Gate.choices)
    session = models.ForeignKey(
        "training.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gate_overrides",
        verbose_name=_("session"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gate_overrides",
        verbose_name=_("event"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gate_overrides",
        verbose_name=_("activity"),
    )
    subject_person = models.ForeignKey(
        "partners.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gate_overrides",
        verbose_name=_("person"),
    )
    subject_organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gate_overrides",
        verbose_name=_("unit"),
    )
    reason = models.TextField(_("reason for the override"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user, bases=[HistoryAuditFields])

    objects = GateOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("vetting gate override")
        verbose_name_plural = _("vetting gate overrides")
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(gate="enrollment", session__isnull=False, subject_person__isnull=False)
                    | (
                        Q(gate="attendance", event__isnull=False)
                        & (Q(subject_person__isnull=False) | Q(subject_organization__isnull=False))
                    )
                    | Q(gate="delivery", activity__isnull=False, subject_organization__isnull=False)
                ),
                name="gate_override_target",
                violation_error_message=_(
                    "An override is for a person in a session or event, or a unit of an activity."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="gate_override_has_reason",
                violation_error_message=_("An override needs a written reason."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.subject_person or self.subject_organization
        purpose = self.session or self.event or self.activity
        return f"{subject} → {purpose} ({self.get_gate_display()})"

    @property
    def purpose(self) -> Any:
        return self.session or self.event or self.activity


class ScreeningList(models.Model):
    """A sanctions list imported as FollowTheMoney entities (installation-wide)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    last_import_summary = models.JSONField(
        _("summary of the last import"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("screening list")
        verbose_name_plural = _("screening lists")

    def __str__(self) -> str:
        return self.name


class ScreeningEntry(models.Model):
    """One entity of a list, as last imported (FollowTheMoney schema and properties)."""

    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("list")
    )
    entity_id = models.CharField(_("entity id"), max_length=200)
    schema = models.CharField(_("schema"), max_length=50)
    caption = models.CharField(_("name"), max_length=500)
    properties = models.JSONField(_("properties"), default=dict)
    checksum = models.CharField(_("checksum"), max_length=64)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_changed = models.DateTimeField(_("last changed"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["screening_list", "entity_id"], name="screening_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return self.caption


class ScreeningImport(models.Model):
    """One import of a list file: what was new, changed or gone (kept as a log)."""

    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.CASCADE, related_name="imports", verbose_name=_("list")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=300)
    file_format = models.CharField(_("file format"), max_length=20)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    new = models.PositiveIntegerField(_("new entries"), default=0)
    changed = models.PositiveIntegerField(_("changed entries"), default=0)
    removed = models.PositiveIntegerField(_("removed entries"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged entries"), default=0)

    class Meta:
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.screening_list} {self.imported_at:%Y-%m-%d %H:%M}"


class ScreeningHitQuerySet(ReaderQuerySet):
    def visible_to(self, user: Any) -> models.QuerySet[Any]:
        """Vetting officers see the hits on the persons and organisations they may see."""
        from liaison.core.access import has_role_anywhere
        from liaison.core.choices import Role
        from liaison.partners.models import Organization, Person

        if not has_role_anywhere(user, frozenset({Role.VETTING_OFFICER})):
            return self.none()
        return self.filter(
            Q(person__in=Person.objects.visible_to(user).values("pk"))
            | Q(organization__in=Organization.objects.visible_to(user).values("pk"))
        ).read_for(user)


class ScreeningHit(models.Model):
    """A scored match between a record and a list entry, with its adjudication."""

    class Status(models.TextChoices):
        OPEN = "open", _("To adjudicate")
        TRUE_MATCH = "true_match", _("True match")
        FALSE_POSITIVE = "false_positive", _("False positive")

    entry = models.ForeignKey(
        ScreeningEntry, on_delete=models.CASCADE, related_name="hits", verbose_name=_("list entry")
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screening_hits",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screening_hits",
        verbose_name=_("organisation"),
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=3)
    explanation = models.TextField(_("explanation"), blank=True)
    explanation_parts = models.JSONField(_("explanation (structured)"), default=list, blank=True)
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Of the list entry and the screened data of the subject, as matched."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adjudicated by"),
    )
    adjudicated_at = models.DateTimeField(_("adjudicated at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScreeningHitQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="hit_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="hit_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organization} ~ {self.entry} ({self.score})"

    @property
    def explanation_text(self) -> str:
        """The explanation in the active language (stored text for older hits)."""
        from liaison.vetting.screening import explain

        return explain.render(self.explanation_parts) or self.explanation
