"""Agreements, cooperation activities with their money and results, requests and postings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.activities.choices import (
    DEFAULT_SECTOR,
    ActivityStatus,
    ActivityType,
    BudgetKind,
    ParticipationRole,
    RequestStatus,
    Sector,
    TransactionType,
    Urgency,
)
from liaison.core.choices import Currency
from liaison.core.models import (
    ChildModel,
    OwnedModel,
    date_order_constraint,
    non_negative_constraint,
    period_field,
)

# How far up a chain of parent programmes the cycle check looks.
MAX_PROGRAMME_DEPTH = 100


def decimal_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    """Amounts and indicator values: 14 digits before the point, 2 after."""
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


class Agreement(OwnedModel):
    """A partnership agreement (convention de partenariat)."""

    title = models.CharField(_("title"), max_length=500)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    parties = models.ManyToManyField(
        "partners.Organization", blank=True, related_name="agreements", verbose_name=_("parties")
    )
    signed_on = models.DateField(_("signature date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    text = models.FileField(_("attached text"), upload_to="agreements/%Y/", blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]
        constraints = [date_order_constraint("valid_from", "valid_until", "agreement_validity")]

    def __str__(self) -> str:
        return self.title


class Activity(OwnedModel):
    """A cooperation action: training, equipment, assistance, advice..."""

    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    activity_type = models.CharField(
        _("type"), max_length=30, choices=ActivityType.choices, default=ActivityType.OTHER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("agreement"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent programme"),
    )
    organizations = models.ManyToManyField(
        "partners.Organization",
        through="ActivityParticipation",
        related_name="activities",
        verbose_name=_("participating organisations"),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    # What the sources say of when, when they give no day: "under way in 2016" is
    # period "2016", never an invented 1 January.
    period = period_field()
    date_as_written = models.CharField(_("date as written"), max_length=200, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    iati_identifier = models.CharField(_("IATI identifier"), max_length=150, blank=True)
    sector = models.CharField(
        _("sector"),
        max_length=5,
        choices=Sector.choices,
        blank=True,
        help_text=_("OECD DAC purpose code; empty: the default of the activity's type."),
    )
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-planned_start", "title"]
        constraints = [
            date_order_constraint("planned_start", "planned_end", "activity_planned_order"),
            date_order_constraint("actual_start", "actual_end", "activity_actual_order"),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def iati_sector(self) -> str:
        """The chosen sector, or the default of the activity's type."""
        return self.sector or DEFAULT_SECTOR.get(self.activity_type, Sector.SECURITY_SYSTEM)

    def clean(self) -> None:
        super().clean()
        self.check_parent()

    def check_parent(self) -> None:
        """An activity is not its own parent programme, even through another."""
        node, steps = self.parent_id, 0
        while self.pk is not None and node is not None and steps < MAX_PROGRAMME_DEPTH:
            if node == self.pk:
                message = _("An activity cannot be its own parent programme, even through another.")
                raise ValidationError({"parent": message}, code="invalid")
            node = Activity.objects.filter(pk=node).values_list("parent_id", flat=True).first()
            steps += 1


class ActivityParticipation(ChildModel):
    """An organisation's role in an activity (IATI participating-org, or beneficiary)."""

    parent_field = "activity"
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("activity"),
    )
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organization", "role"], name="participation_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()


class ActivityPlace(ChildModel):
    parent_field = "activity"
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="places", verbose_name=_("activity")
    )
    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
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

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return ", ".join(str(p) for p in (self.locality, self.subdivision, self.country) if p)

    def clean(self) -> None:
        super().clean()
        self.check_region()

    def check_region(self) -> None:
        """The region is in the country chosen."""
        if self.subdivision_id is None or self.country_id is None:
            return
        if ActivityPlace.subdivision.is_cached(self):
            region_country = self.subdivision.country_id  # type: ignore[union-attr]
        else:  # only the id is known (an import): one read of one column
            from liaison.geo.models import Subdivision

            region_country = (
                Subdivision.objects.filter(pk=self.subdivision_id)
                .values_list("country_id", flat=True)
                .first()
            )
        if region_country != self.country_id:
            message = _("This region is not in the country chosen.")
            raise ValidationError({"subdivision": message}, code="invalid")


class BudgetLine(ChildModel):
    parent_field = "activity"
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("activity")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=BudgetKind.choices, default=BudgetKind.ORIGINAL
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount = decimal_field(_("amount"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["period_start"]
        constraints = [
            date_order_constraint("period_start", "period_end", "budget_period_order"),
            non_negative_constraint("amount", "budget_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.period_start} / {self.period_end})"


class Transaction(ChildModel):
    """Money committed, disbursed or spent (IATI transaction)."""

    parent_field = "activity"
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="transactions", verbose_name=_("activity")
    )
    transaction_type = models.CharField(_("type"), max_length=20, choices=TransactionType.choices)
    date = models.DateField(_("date"))
    amount = decimal_field(_("amount"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    provider = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    receiver = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiver"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["date"]
        constraints = [non_negative_constraint("amount", "transaction_amount_non_negative")]

    def __str__(self) -> str:
        return f"{self.get_transaction_type_display()} {self.amount} {self.currency} {self.date}"


class Objective(ChildModel):
    parent_field = "activity"
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("activity")
    )
    text = models.TextField(_("objective"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(ChildModel):
    """A result indicator with baseline, target and actual values (IATI result)."""

    parent_field = "activity"
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("activity")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    title = models.CharField(_("title"), max_length=300)
    unit = models.CharField(_("unit of measure"), max_length=50, blank=True)
    baseline = decimal_field(_("baseline"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = decimal_field(_("target"), null=True, blank=True)
    actual = decimal_field(_("actual"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.title


class Request(OwnedModel):
    """A partner's request (sollicitation du partenaire) and the activities that answered it."""

    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("requesting organisation"),
    )
    # Unknown when the source does not say: then the period, if known, and no waiting days.
    received_on = models.DateField(_("date received"), null=True, blank=True)
    received_period = period_field(
        _("received in"), _("What is known when the exact date is not: YYYY or YYYY-MM.")
    )
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    answered_by = models.ManyToManyField(
        Activity, blank=True, related_name="answered_requests", verbose_name=_("answered by")
    )

    class Meta:
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        ordering = ["-received_on"]
        constraints = [date_order_constraint("received_on", "due_on", "request_due_after_received")]

    def __str__(self) -> str:
        return self.title


class Assignment(OwnedModel):
    """An advisor or instructor posted to a partner organisation."""

    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("host organisation"),
    )
    sending_organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_assignments",
        verbose_name=_("sending organisation"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("activity"),
    )
    role = models.CharField(_("role"), max_length=200)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date"]
        constraints = [
            date_order_constraint("start_date", "end_date", "assignment_dates_order"),
            models.CheckConstraint(
                condition=~Q(role=""),
                name="assignment_has_role",
                violation_error_message=_("An assignment needs a role."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organization}: {self.role}"
