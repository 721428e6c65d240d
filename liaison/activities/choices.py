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


class Sector(models.TextChoices):
    """OECD DAC CRS purpose codes (IATI sector vocabulary 1) of security and defence
    cooperation: conflict, peace and security (152xx), government and civil society
    (151xx), and the training and equipment codes nearest to the field's activities."""

    SECURITY_SYSTEM = "15210", _("Security system management and reform")
    CIVILIAN_PEACEBUILDING = "15220", _("Civilian peace-building, conflict prevention")
    PEACEKEEPING = "15230", _("Participation in international peacekeeping operations")
    REINTEGRATION_SALW = "15240", _("Reintegration and SALW control")
    LANDMINES_ERW = "15250", _("Removal of land mines and explosive remnants of war")
    CHILD_SOLDIERS = "15261", _("Child soldiers (prevention and demobilisation)")
    PUBLIC_SECTOR_POLICY = "15110", _("Public sector policy and administrative management")
    LEGAL_JUDICIAL = "15130", _("Legal and judicial development")
    DEMOCRATIC_PARTICIPATION = "15150", _("Democratic participation and civil society")
    HUMAN_RIGHTS = "15160", _("Human rights")
    WOMEN_RIGHTS = "15170", _("Women's rights organisations and movements")
    VIOLENCE_AGAINST_WOMEN = "15180", _("Ending violence against women and girls")


# The sector an activity of each type is given when none is chosen: security system
# management and reform, except where the type says more.
DEFAULT_SECTOR: dict[str, str] = {
    "training": Sector.SECURITY_SYSTEM,
    "equipment": Sector.SECURITY_SYSTEM,
    "technical_assistance": Sector.SECURITY_SYSTEM,
    "logistics": Sector.SECURITY_SYSTEM,
    "advisory": Sector.SECURITY_SYSTEM,
    "infrastructure": Sector.SECURITY_SYSTEM,
    "financing": Sector.SECURITY_SYSTEM,
    "exercise": Sector.PEACEKEEPING,
    "visit": Sector.SECURITY_SYSTEM,
    "other": Sector.SECURITY_SYSTEM,
}
