"""Import kinds of partners: organisations, persons, positions (see core.imports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaison.core.imports.spec import (
    BOOL,
    CHOICE,
    COUNTRY,
    DATE,
    EXTERNAL_ID,
    LINK,
    LIST,
    ORGANIZATION,
    PERSON,
    Column,
    ImportKind,
    register,
    release_columns,
)

NAME_FR = _("Name in French (a French or an English name is required).")
NAME_EN = _("Name in English (a French or an English name is required).")

register(
    ImportKind(
        slug="organisations",
        model="partners.Organization",
        label=_("organisations"),
        list_url_name="partners:organization_list",
        columns=(
            EXTERNAL_ID,
            Column("name_fr", NAME_FR, example="Direction du génie militaire"),
            Column("name_en", NAME_EN, example="Military Engineering Directorate"),
            Column("acronym_fr", _("Acronym in French."), example="DGM"),
            Column("acronym_en", _("Acronym in English.")),
            Column("aliases", _("Other names, separated by ';'."), type=LIST),
            Column(
                "kind",
                _("Kind of organisation: ministry, unit, school... (code or label)."),
                type=CHOICE,
                example="directorate",
            ),
            Column(
                "country",
                _("Country: ISO code (ML, MLI) or name."),
                type=LINK,
                link=COUNTRY,
                example="ML",
            ),
            Column(
                "parent",
                _(
                    "Parent organisation: its external identifier or name (it may be a row "
                    "above in the same file)."
                ),
                type=LINK,
                link=ORGANIZATION,
            ),
            Column("website", _("Web site address.")),
            Column("description", _("Description.")),
            *release_columns(),
        ),
    )
)

register(
    ImportKind(
        slug="persons",
        model="partners.Person",
        label=_("persons"),
        list_url_name="partners:person_list",
        columns=(
            EXTERNAL_ID,
            Column(
                "full_name",
                _("Full name, without rank or title."),
                required=True,
                example="Awa Traoré",
            ),
            Column("given_names", _("Given names.")),
            Column("family_name", _("Family name.")),
            Column("aliases", _("Other names or spellings, separated by ';'."), type=LIST),
            Column("rank", _("Rank."), example="Colonel"),
            Column("gender", _("female, male or other (empty: unknown)."), type=CHOICE),
            Column(
                "nationality",
                _("Nationality: ISO code (ML, MLI) or name of the country."),
                type=LINK,
                link=COUNTRY,
            ),
            Column("birth_date", _("Birth date (YYYY-MM-DD)."), type=DATE),
            Column("description", _("Description.")),
            *release_columns(),
        ),
    )
)


register(
    ImportKind(
        slug="positions",
        model="partners.Position",
        label=_("positions"),
        list_url_name="partners:position_list",
        columns=(
            EXTERNAL_ID,
            Column(
                "person",
                _("The person: external identifier or full name."),
                type=LINK,
                link=PERSON,
                required=True,
            ),
            Column(
                "organization",
                _("The organisation: external identifier, name or acronym."),
                type=LINK,
                link=ORGANIZATION,
                required=True,
            ),
            Column("title_fr", _("Title in French (a French or an English title is required).")),
            Column("title_en", _("Title in English (a French or an English title is required).")),
            Column("start_date", _("Start date (YYYY-MM-DD)."), type=DATE),
            Column("end_date", _("End date (YYYY-MM-DD), not before the start."), type=DATE),
            Column("is_current", _("Held now: yes or no (empty: yes)."), type=BOOL),
            *release_columns(),
        ),
    )
)
