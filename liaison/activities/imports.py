"""Import kind of activities, with their participating organisations, places and budget
lines given in three columns (see core.imports and the template's help sheet)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaison.core.imports.spec import (
    ACTIVITY,
    CHOICE,
    COUNTRY,
    DATE,
    DECIMAL,
    EXTERNAL_ID,
    LINK,
    ORGANIZATION,
    SUBDIVISION,
    ChildSet,
    Column,
    ImportKind,
    register,
    release_columns,
)

register(
    ImportKind(
        slug="activities",
        model="activities.Activity",
        label=_("activities"),
        list_url_name="activities:activity_list",
        columns=(
            EXTERNAL_ID,
            Column("title", _("Title of the activity."), required=True, example="Formation au DIH"),
            Column("description", _("Description.")),
            Column(
                "activity_type",
                _("Type: training, equipment, advisory... (code or label)."),
                type=CHOICE,
                example="training",
            ),
            Column(
                "status",
                _("Status: pipeline, implementation, finalisation, closed, cancelled, suspended."),
                type=CHOICE,
                example="implementation",
            ),
            Column(
                "parent",
                _("Parent programme: external identifier or title of an activity."),
                type=LINK,
                link=ACTIVITY,
            ),
            Column("planned_start", _("Planned start (YYYY-MM-DD)."), type=DATE),
            Column("planned_end", _("Planned end (YYYY-MM-DD)."), type=DATE),
            Column("actual_start", _("Actual start (YYYY-MM-DD)."), type=DATE),
            Column("actual_end", _("Actual end (YYYY-MM-DD)."), type=DATE),
            Column("currency", _("Currency: EUR, USD or XOF."), type=CHOICE, example="EUR"),
            Column("iati_identifier", _("IATI identifier.")),
            *release_columns(),
        ),
        children=(
            ChildSet(
                Column(
                    "organisations",
                    _(
                        "Participating organisations, separated by ';', each as role:organisation "
                        "(role funding, accountable, extending, implementing or beneficiary; the "
                        "organisation by external identifier or name). When the column is in the "
                        "file it replaces the list (empty: none); without it, the list is kept."
                    ),
                    field=None,
                    example="funding:ORG-1; beneficiary:ORG-2",
                ),
                model="activities.ActivityParticipation",
                parent_field="activity",
                parts=(
                    Column("role", "", type=CHOICE, required=True),
                    Column("organization", "", type=LINK, link=ORGANIZATION, required=True),
                ),
            ),
            ChildSet(
                Column(
                    "places",
                    _(
                        "Places, separated by ';', each as country:region:locality (country by ISO "
                        "code or name, region by ISO 3166-2 code, both optional after the "
                        "country). Replaces the list when the column is in the file."
                    ),
                    field=None,
                    example="ML:ML-BKO:Bamako",
                ),
                model="activities.ActivityPlace",
                parent_field="activity",
                parts=(
                    Column("country", "", type=LINK, link=COUNTRY, required=True),
                    Column("subdivision", "", type=LINK, link=SUBDIVISION),
                    Column("locality", ""),
                ),
            ),
            ChildSet(
                Column(
                    "budget",
                    _(
                        "Budget lines, separated by ';', each as kind:start:end:amount:currency:"
                        "description (kind original or revised, dates YYYY-MM-DD, amount with a "
                        "point for decimals). Replaces the list when the column is in the file."
                    ),
                    field=None,
                    example="original:2025-01-01:2025-12-31:150000:EUR",
                ),
                model="activities.BudgetLine",
                parent_field="activity",
                parts=(
                    Column("kind", "", type=CHOICE),
                    Column("period_start", "", type=DATE, required=True),
                    Column("period_end", "", type=DATE, required=True),
                    Column("amount", "", type=DECIMAL, required=True),
                    Column("currency", "", type=CHOICE),
                    Column("description", ""),
                ),
            ),
        ),
    )
)
