from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    UNLAWFUL_KILLING = "unlawful_killing", _("Unlawful killing")
    TORTURE = "torture", _("Torture or ill-treatment")
    ARBITRARY_DETENTION = "arbitrary_detention", _("Arbitrary detention")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    COUP = "coup", _("Coup or unconstitutional seizure of power")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    ALLEGED = "alleged", _("Alleged")
    INVESTIGATED = "investigated", _("Under investigation")
    ESTABLISHED = "established", _("Established")
    DISMISSED = "dismissed", _("Dismissed")


class ImplicationRole(models.TextChoices):
    PERPETRATOR = "perpetrator", _("Perpetrator")
    COMMANDER = "commander", _("Commander at the time")
    OTHER = "other", _("Other")
