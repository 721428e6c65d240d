"""Import kinds of training: sessions and the trainees enrolled in them (core.imports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaison.core.imports.spec import (
    ACTIVITY,
    CHOICE,
    COUNTRY,
    DATE,
    EXTERNAL_ID,
    INT,
    LINK,
    ORGANIZATION,
    PERSON,
    Column,
    ImportKind,
    Link,
    register,
    release_columns,
)

COURSE = Link("training.Course", ("code", "title_fr", "title_en"))
SESSION = Link("training.Session", ("external_id",))

register(
    ImportKind(
        slug="sessions",
        model="training.Session",
        label=_("sessions"),
        list_url_name="training:session_list",
        columns=(
            EXTERNAL_ID,
            Column(
                "course",
                _("The course: its code or title."),
                type=LINK,
                link=COURSE,
                required=True,
            ),
            Column("name", _("Name of the session."), example="Promotion 2025-1"),
            Column("start_date", _("Start date (YYYY-MM-DD)."), type=DATE),
            Column("end_date", _("End date (YYYY-MM-DD), not before the start."), type=DATE),
            Column(
                "status",
                _("planned, open, running, completed or cancelled."),
                type=CHOICE,
                example="planned",
            ),
            Column("capacity", _("Number of places."), type=INT),
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
        slug="enrollments",
        model="training.Enrollment",
        label=_("enrolments"),
        list_url_name="training:session_list",
        parent="session",
        key=("session", "person"),
        columns=(
            Column(
                "session",
                _(
                    "The session: its external identifier (the row updates this trainee's "
                    "enrolment)."
                ),
                type=LINK,
                link=SESSION,
                required=True,
                example="SES-001",
            ),
            Column(
                "person",
                _("The trainee: external identifier or full name."),
                type=LINK,
                link=PERSON,
                required=True,
            ),
            Column(
                "nationality",
                _("Nationality (ISO code or name; empty: the person's)."),
                type=LINK,
                link=COUNTRY,
            ),
            Column("unit", _("Unit: external identifier or name."), type=LINK, link=ORGANIZATION),
            Column(
                "status",
                _("nominated, confirmed, withdrawn, completed or failed."),
                type=CHOICE,
                example="nominated",
            ),
            Column("result", _("Result.")),
            Column("certificate", _("Certificate.")),
        ),
    )
)
