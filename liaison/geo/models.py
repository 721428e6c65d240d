"""Countries (ISO 3166-1) and their subdivisions (ISO 3166-2), loaded from pycountry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import localized


class Country(models.Model):
    """Reference data shared by every workspace: nobody owns a country."""

    alpha2 = models.CharField(_("ISO alpha-2 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["alpha2"]

    def __str__(self) -> str:
        return localized(self, "name")

    @property
    def name(self) -> str:
        return localized(self, "name")


class Subdivision(models.Model):
    """A region, district or province of a country, e.g. ML-BKO (Bamako)."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=10, unique=True)
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="subdivisions", verbose_name=_("country")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("subdivision")
        verbose_name_plural = _("subdivisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
