"""Import kinds of events and their participants (core.imports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaison.core.imports.spec import (
    ACTIVITY,
    BOOL,
    CHOICE,
    COUNTRY,
    DATE,
    EXTERNAL_ID,
    LINK,
    LINKS,
    ORGANIZATION,
    PERSON,
    SUBDIVISION,
    Column,
    ImportKind,
    Link,
    register,
    release_columns,
)

EVENT = Link("events.Event", ("external_id",))

register(
    ImportKind(
        slug="events",
        model="events.Event",
        label=_("events"),
        list_url_name="events:event_list",
        columns=(
            EXTERNAL_ID,
            Column("title", _("Title of the event."), required=True, example="Séminaire DIH"),
            Column(
                "kind",
                _("seminar, training, ceremony, visit, meeting, exercise or other."),
                type=CHOICE,
                example="seminar",
            ),
            Column("topic", _("Topic.")),
            Column("description", _("Description.")),
            Column("start_date", _("Start date (YYYY-MM-DD)."), type=DATE),
            Column("end_date", _("End date (YYYY-MM-DD), not before the start."), type=DATE),
            Column("period", _("What is known when the exact dates are not: YYYY or YYYY-MM.")),
            Column("date_as_written", _("The date as the source writes it.")),
            Column("country", _("Country: ISO code or name."), type=LINK, link=COUNTRY),
            Column("subdivision", _("Region: ISO 3166-2 code."), type=LINK, link=SUBDIVISION),
            Column(
                "venue",
                _("Venue: external identifier or name of an organisation."),
                type=LINK,
                link=ORGANIZATION,
            ),
            Column("locality", _("Locality.")),
            Column(
                "organisers",
                _("Organisers: organisations separated by ';' (replaces the list)."),
                type=LINKS,
                link=ORGANIZATION,
            ),
            Column(
                "activity",
                _("The activity it belongs to: external identifier or title."),
                type=LINK,
                link=ACTIVITY,
            ),
            *release_columns(),
        ),
    )
)

register(
    ImportKind(
        slug="participants",
        model="events.Participant",
        label=_("participants"),
        list_url_name="events:event_list",
        parent="event",
        key=("event", "person", "organization", "role"),
        columns=(
            Column(
                "event",
                _("The event: its external identifier."),
                type=LINK,
                link=EVENT,
                required=True,
                example="EVT-001",
            ),
            Column(
                "person",
                _("The person: external identifier or full name (a person or an organisation)."),
                type=LINK,
                link=PERSON,
            ),
            Column(
                "organization",
                _("The organisation: external identifier or name."),
                type=LINK,
                link=ORGANIZATION,
            ),
            Column(
                "role",
                _("organiser, instructor, attendee, trainee, official_guest or speaker."),
                type=CHOICE,
                example="attendee",
            ),
            Column("capacity", _("Title held at the time.")),
            Column("attended", _("Attended: yes or no (empty: unknown)."), type=BOOL),
        ),
    )
)
