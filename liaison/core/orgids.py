"""IATI organisation identifiers (`@ref`) and types (`@type`).

An organisation identifier is a registration agency's prefix (from org-id.guide, the
IATI OrganisationRegistrationAgency codelist) followed by the agency's own number for the
organisation: `XM-DAC-4` (France, in the OECD DAC's list), `US-GOV-7` (the US Department
of Defense, in the US government's list), `GB-COH-01234567` (a UK company). A consumer
such as d-portal links a funder to its other activities through this identifier, so
Liaison only accepts one whose prefix is a registration agency it knows: a made-up one
(`XI-LIAISON-...`, which no agency issued) would link to nothing, or to someone else.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Registration agencies whose identifiers the organisations Liaison records carry: donor
# governments and their agencies, international bodies, and the registers of companies
# and associations of the donor and partner countries. The list is short on purpose (a
# typo in a prefix is refused rather than published); add an agency from org-id.guide
# when a record needs it.
AGENCY_PREFIXES: tuple[str, ...] = (
    # OECD DAC codes: donor countries and multilateral agencies (XM-DAC-4: France).
    "XM-DAC",
    # IATI's own register, for organisations that have no other identifier.
    "XI-IATI",
    # UN OCHA's register of humanitarian organisations.
    "XM-OCHA",
    # Governments' lists of their own departments and agencies.
    "US-GOV",
    "GB-GOV",
    "GB-GOVUK",
    # Companies and associations in the donor countries.
    "US-EIN",
    "GB-COH",
    "GB-CHC",
    "FR-RCS",
    "FR-INSEE",
    "BE-BCE_KBO",
    # Partner countries' registers: Mali's chamber of commerce and tax numbers.
    "ML-CCIM",
    "ML-NIF",
)

# What may follow the prefix: no space and none of the characters that IATI forbids in
# identifiers (/, &, |, ?).
_REST = re.compile(r"^-[^\s/&|?]+$")


def agency_prefix(ref: str) -> str | None:
    """The registration agency prefix an identifier starts with, None if none known."""
    for prefix in sorted(AGENCY_PREFIXES, key=len, reverse=True):
        if ref.startswith(prefix) and _REST.match(ref[len(prefix) :]):
            return prefix
    return None


def validate_org_ref(value: str) -> None:
    """Refuses an organisation identifier whose prefix is no known registration agency."""
    if value and agency_prefix(value) is None:
        raise ValidationError(
            _(
                "%(value)s is not an IATI organisation identifier: it must start with the "
                "prefix of a registration agency (%(prefixes)s) followed by a hyphen and "
                "the agency's number, without spaces or / & | ?."
            ),
            code="org_ref",
            params={"value": value, "prefixes": ", ".join(AGENCY_PREFIXES)},
        )


class OrganisationType(models.TextChoices):
    """The IATI OrganisationType codelist."""

    GOVERNMENT = "10", _("Government")
    LOCAL_GOVERNMENT = "11", _("Local government")
    OTHER_PUBLIC = "15", _("Other public sector")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    REGIONAL_NGO = "23", _("Regional NGO")
    PARTNER_COUNTRY_NGO = "24", _("Partner country based NGO")
    PUBLIC_PRIVATE = "30", _("Public private partnership")
    MULTILATERAL = "40", _("Multilateral")
    FOUNDATION = "60", _("Foundation")
    PRIVATE = "70", _("Private sector")
    PRIVATE_PROVIDER = "71", _("Private sector in provider country")
    PRIVATE_RECIPIENT = "72", _("Private sector in aid recipient country")
    PRIVATE_THIRD = "73", _("Private sector in third country")
    ACADEMIC = "80", _("Academic, training and research")
    OTHER = "90", _("Other")


def ref_field() -> models.CharField[str, str]:
    return models.CharField(
        _("IATI organisation identifier"),
        max_length=150,
        blank=True,
        validators=[validate_org_ref],
        help_text=_("With its registration agency's prefix, e.g. XM-DAC-4 or US-GOV-7."),
    )


def type_field() -> models.CharField[str, str]:
    return models.CharField(
        _("IATI organisation type"), max_length=2, blank=True, choices=OrganisationType.choices
    )
