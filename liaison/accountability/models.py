"""Incidents and allegations (killings, torture, coups...) with the units and persons
they implicate: one side of "where are they now" (issue 18), training being the other."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.accountability.choices import ImplicationRole, IncidentKind, IncidentStatus
from liaison.core.models import ChildModel, OwnedModel, date_order_constraint
from liaison.events.models import DatedModel


class Incident(OwnedModel, DatedModel):
    """An alleged or established event, dated as known (exact dates or a period)."""

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=30, choices=IncidentKind.choices, default=IncidentKind.OTHER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.ALLEGED
    )
    established_by = models.CharField(
        _("established by"),
        max_length=300,
        blank=True,
        help_text=_("The body that established the facts (a court, a commission of inquiry)."),
    )
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    subdivision = models.ForeignKey(
        "geo.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-start_date", "-period", "pk"]
        constraints = [
            date_order_constraint("start_date", "end_date", "incident_dates_order"),
            # "Established" means nothing without the body that established it.
            models.CheckConstraint(
                condition=~Q(status=IncidentStatus.ESTABLISHED) | ~Q(established_by=""),
                name="incident_established_by_a_body",
                violation_error_message=_("Name the body that established the incident."),
            ),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="incident_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def established(self) -> bool:
        return self.status == IncidentStatus.ESTABLISHED


class Implication(ChildModel):
    """A unit or a person implicated in an incident, with the role alleged."""

    parent_field = "incident"
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="implications", verbose_name=_("incident")
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implications",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implications",
        verbose_name=_("unit"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=ImplicationRole.choices, default=ImplicationRole.OTHER
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("implication")
        verbose_name_plural = _("implications")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="implication_is_someone",
                violation_error_message=_("An implication names a person or a unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organization} ({self.get_role_display()})"


class ReportedTraining(ChildModel):
    """What a donor's report says of a training session beyond the training app's
    record: the programme that paid, the cost, how many trained, the student unit, and
    the row of the report (the US Foreign Military Training Report, imported by
    `liaison import fmtr`)."""

    parent_field = "session"
    session = models.OneToOneField(
        "training.Session",
        on_delete=models.CASCADE,
        related_name="reported",
        verbose_name=_("session"),
    )
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    programme_name = models.CharField(_("programme as written"), max_length=300, blank=True)
    fiscal_year = models.CharField(_("fiscal year"), max_length=20, blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    location = models.CharField(_("place of training"), max_length=300, blank=True)
    student_unit = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_trainings",
        verbose_name=_("student unit"),
    )
    us_unit = models.CharField(_("US unit"), max_length=300, blank=True)
    trainee_count = models.PositiveIntegerField(_("trainees"), null=True, blank=True)
    cost_usd = models.DecimalField(
        _("cost (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reference = models.CharField(_("row of the report"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("reported training")
        verbose_name_plural = _("reported trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_usd__isnull=True) | Q(cost_usd__gte=0),
                name="reported_training_cost_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.fiscal_year}: {self.session_id}"
