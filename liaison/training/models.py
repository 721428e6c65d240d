"""Schools, their courses, the sessions of a course and the trainees enrolled in them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ChildModel, OwnedModel, date_order_constraint, localized


class School(OwnedModel):
    """A school is an organisation (kind "school") with what is particular to training."""

    organization = models.OneToOneField(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="school",
        verbose_name=_("organisation"),
    )
    is_regional = models.BooleanField(
        _("regional vocation (ENVR)"),
        default=False,
        help_text=_("Trains students from several countries."),
    )
    subdivision = models.ForeignKey(
        "geo.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return str(self.organization)


class Course(OwnedModel):
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="courses", verbose_name=_("school")
    )
    code = models.CharField(_("code"), max_length=50, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title_fr", "title_en"]

    def __str__(self) -> str:
        return localized(self, "title")


class Session(OwnedModel):
    """One run of a course, with its dates and trainees."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("activity"),
    )
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-start_date"]
        constraints = [
            date_order_constraint("start_date", "end_date", "session_dates_order"),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="session_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.name or self.start_date or ''}".strip()


class Enrollment(ChildModel):
    """A trainee in a session: nationality, unit, result and certificate."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Did not complete")

    parent_field = "session"
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("trainee"),
    )
    nationality = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    unit = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainees",
        verbose_name=_("unit"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    result = models.CharField(_("result"), max_length=200, blank=True)
    certificate = models.CharField(_("certificate"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="enrollment_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"

    def clean(self) -> None:
        super().clean()
        self.default_nationality()

    def default_nationality(self) -> None:
        """A trainee's nationality is the person's unless the enrolment gives another."""
        if self.nationality_id is not None or self.person_id is None:
            return
        from liaison.partners.models import Person

        if Enrollment.person.is_cached(self):
            self.nationality_id = self.person.nationality_id
        else:
            self.nationality_id = (
                Person.objects.filter(pk=self.person_id)
                .values_list("nationality_id", flat=True)
                .first()
            )
