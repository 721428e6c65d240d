"""Choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.TextChoices):
    PRIVATE = "private", _("Private to the owner workspace")
    NAMED = "named", _("Released to named workspaces")
    OPEN = "open", _("Open to the whole installation")


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    MANAGER = "manager", _("Manager")
    VETTING_OFFICER = "vetting_officer", _("Vetting officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that may create and change records of their workspace.
WRITING_ROLES = frozenset({Role.EDITOR, Role.MANAGER, Role.ADMINISTRATOR})


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro")
    USD = "USD", _("US dollar")
    XOF = "XOF", _("West African CFA franc")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other")
