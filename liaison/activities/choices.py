"""Activity vocabularies, aligned with IATI 2.03 where IATI has one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityType(models.TextChoices):
    TRAINING = "training", _("Training")
    EQUIPMENT = "equipment", _("Equipment")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    LOGISTICS = "logistics", _("Logistics assistance")
    ADVISORY = "advisory", _("Organisational advice")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    FINANCING = "financing", _("Financing")
    EXERCISE = "exercise", _("Exercise")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    """IATI ActivityStatus codelist; the code is kept for the IATI export."""

    PIPELINE = "pipeline", _("Pipeline / identification")
    IMPLEMENTATION = "implementation", _("Implementation")
    FINALISATION = "finalisation", _("Finalisation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


IATI_ACTIVITY_STATUS_CODE = {
    ActivityStatus.PIPELINE: "1",
    ActivityStatus.IMPLEMENTATION: "2",
    ActivityStatus.FINALISATION: "3",
    ActivityStatus.CLOSED: "4",
    ActivityStatus.CANCELLED: "5",
    ActivityStatus.SUSPENDED: "6",
}


class ParticipationRole(models.TextChoices):
    """IATI participating-org roles, plus the beneficiary."""

    FUNDING = "funding", _("Funding")
    ACCOUNTABLE = "accountable", _("Accountable")
    EXTENDING = "extending", _("Extending")
    IMPLEMENTING = "implementing", _("Implementing")
    BENEFICIARY = "beneficiary", _("Beneficiary")


class TransactionType(models.TextChoices):
    """The IATI TransactionType codes Liaison uses."""

    INCOMING_FUNDS = "incoming_funds", _("Incoming funds")
    COMMITMENT = "commitment", _("Commitment")
    DISBURSEMENT = "disbursement", _("Disbursement")
    EXPENDITURE = "expenditure", _("Expenditure")


class BudgetKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    REVISED = "revised", _("Revised")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    SHORT_NOTICE = "short_notice", _("Short notice")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_STUDY = "under_study", _("Under study")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
