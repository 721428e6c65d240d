"""Import kinds of incidents and the units and persons they implicate (core.imports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaison.core.imports.spec import (
    CHOICE,
    COUNTRY,
    DATE,
    EXTERNAL_ID,
    LINK,
    ORGANIZATION,
    PERSON,
    SUBDIVISION,
    Column,
    ImportKind,
    Link,
    register,
    release_columns,
)

INCIDENT = Link("accountability.Incident", ("external_id",))

register(
    ImportKind(
        slug="incidents",
        model="accountability.Incident",
        label=_("incidents"),
        list_url_name="accountability:incident_list",
        columns=(
            EXTERNAL_ID,
            Column("title", _("Title of the incident."), required=True, example="Coup d'État"),
            Column(
                "kind",
                _(
                    "unlawful_killing, torture, arbitrary_detention, sexual_violence, coup "
                    "or other."
                ),
                type=CHOICE,
                example="coup",
            ),
            Column(
                "status",
                _("alleged, investigated, established or dismissed."),
                type=CHOICE,
                example="alleged",
            ),
            Column("established_by", _("The body that established it (when established).")),
            Column("description", _("Description.")),
            Column("start_date", _("Start date (YYYY-MM-DD)."), type=DATE),
            Column("end_date", _("End date (YYYY-MM-DD), not before the start."), type=DATE),
            Column("period", _("What is known when the exact dates are not: YYYY or YYYY-MM.")),
            Column("date_as_written", _("The date as the source writes it.")),
            Column("country", _("Country: ISO code or name."), type=LINK, link=COUNTRY),
            Column("subdivision", _("Region: ISO 3166-2 code."), type=LINK, link=SUBDIVISION),
            Column("locality", _("Locality.")),
            *release_columns(),
        ),
    )
)

register(
    ImportKind(
        slug="implications",
        model="accountability.Implication",
        label=_("implications"),
        list_url_name="accountability:incident_list",
        parent="incident",
        key=("incident", "person", "organization", "role"),
        columns=(
            Column(
                "incident",
                _("The incident: its external identifier."),
                type=LINK,
                link=INCIDENT,
                required=True,
                example="INC-001",
            ),
            Column(
                "person",
                _("The person: external identifier or full name (a person or a unit)."),
                type=LINK,
                link=PERSON,
            ),
            Column(
                "organization",
                _("The unit: external identifier or name."),
                type=LINK,
                link=ORGANIZATION,
            ),
            Column(
                "role", _("perpetrator, commander or other."), type=CHOICE, example="perpetrator"
            ),
            Column("note", _("Note.")),
        ),
    )
)
