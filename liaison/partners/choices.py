from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DIRECTORATE = "directorate", _("Service or directorate")
    ARMED_FORCE = "armed_force", _("Armed force branch")
    UNIT = "unit", _("Unit")
    SCHOOL = "school", _("School")
    INTERNATIONAL = "international", _("International organisation")
    REGIONAL = "regional", _("Regional organisation")
    DONOR_AGENCY = "donor_agency", _("Donor agency")
    EMBASSY = "embassy", _("Embassy or defence mission")
    GOVERNMENT = "government", _("Government or head of state")
    MEDIA = "media", _("Media")
    ARMED_GROUP = "armed_group", _("Armed group (context)")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Unknown")
