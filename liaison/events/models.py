"""Dated events with their participants, and the security and political context."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import (
    ChildModel,
    OwnedModel,
    date_order_constraint,
    localized,
    partial_iso_date,  # noqa: F401 (read from here by intake)
    period_field,
)


class DateFlag(models.TextChoices):
    END_BEFORE_START = "end_before_start", _("The range as written ends before it starts")
    APPROXIMATE = "approximate", _("Approximate date")


class DatedModel(models.Model):
    """Dates as known: exact start and end when they are sure, else a partial ISO period,
    plus the words of the source and flags for what does not add up."""

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    period = period_field()
    date_as_written = models.CharField(_("date as written"), max_length=200, blank=True)
    date_flags = models.JSONField(_("date flags"), default=list, blank=True)

    class Meta:
        abstract = True


class Event(OwnedModel, DatedModel):
    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("Seminar")
        TRAINING = "training", _("Training event")
        CEREMONY = "ceremony", _("Ceremony")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting")
        EXERCISE = "exercise", _("Exercise")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    subdivision = models.ForeignKey(
        "geo.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    venue = models.ForeignKey(
        "partners.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("venue"),
    )
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    organisers = models.ManyToManyField(
        "partners.Organization",
        blank=True,
        related_name="organised_events",
        verbose_name=_("organisers"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("activity"),
    )
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "-period"]
        constraints = [
            date_order_constraint("start_date", "end_date", "event_dates_order"),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="event_external_id_unique",
                violation_error_message=_(
                    "Another record of this workspace has this external identifier."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Participant(ChildModel):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        INSTRUCTOR = "instructor", _("Instructor")
        ATTENDEE = "attendee", _("Attendee")
        TRAINEE = "trainee", _("Trainee")
        OFFICIAL_GUEST = "official_guest", _("Official guest")
        SPEAKER = "speaker", _("Speaker")

    parent_field = "event"
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ATTENDEE)
    capacity = models.CharField(
        _("capacity"), max_length=300, blank=True, help_text=_("Title held at the time.")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="participant_is_someone",
                violation_error_message=_("A participant is a person or an organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organization} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()


class ContextEvent(OwnedModel, DatedModel):
    """The security and political context on the same timeline as the activities."""

    class Kind(models.TextChoices):
        COUP = "coup", _("Coup d'état")
        WITHDRAWAL = "withdrawal", _("Withdrawal of forces")
        MISSION_END = "mission_end", _("End of a mission")
        ATTACK = "attack", _("Attack")
        THREAT = "threat", _("Armed group activity")
        POLITICAL = "political", _("Political event")
        DIPLOMATIC = "diplomatic", _("Diplomatic event")
        OTHER = "other", _("Other")

    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    actors = models.ManyToManyField(
        "partners.Organization",
        blank=True,
        related_name="context_events",
        verbose_name=_("actors"),
    )

    class Meta:
        verbose_name = _("context event")
        verbose_name_plural = _("context events")
        ordering = ["-start_date", "-period"]
        constraints = [date_order_constraint("start_date", "end_date", "context_event_dates_order")]

    def __str__(self) -> str:
        return localized(self, "title")
