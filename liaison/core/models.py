"""What every record shares: workspaces, markings, release, audit and provenance."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.core.choices import Language, Release, Role
from liaison.core.context import current_actor, history_user
from liaison.core.history import HistoryAuditFields
from liaison.core.orgids import ref_field, type_field
from liaison.core.querysets import ChildQuerySet, CitationQuerySet, OwnedQuerySet
from liaison.core.withholding import unwithheld


def localized(obj: Any, field: str) -> str:
    """The French or English value of a bilingual field, whichever the user reads first."""
    first, second = ("en", "fr") if (get_language() or "fr").startswith("en") else ("fr", "en")
    return str(getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", ""))


class Workspace(models.Model):
    """One mission's office: the unit of ownership and access."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    # The mission's organisation, as the reporting organisation of its IATI export.
    iati_ref = ref_field()
    iati_type = type_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user, bases=[HistoryAuditFields])

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in a workspace."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("workspace")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    history = HistoricalRecords(get_user=history_user, bases=[HistoryAuditFields])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.get_role_display()})"


class Marking(models.Model):
    """A protective marking such as "Diffusion restreinte"; a higher level is more sensitive."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), default=0)

    class Meta:
        verbose_name = _("marking")
        verbose_name_plural = _("markings")
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return localized(self, "name")


class TruthfulValidation(models.Model):
    """Rules judge the real linked records, not what the editing user may see of them."""

    class Meta:
        abstract = True

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        with unwithheld():
            super().full_clean(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        # Checks other apps register for this kind (core.registry): the vetting gate is
        # the vetting app's, and no domain model imports it.
        from liaison.core.registry import model_checks

        for check in model_checks(type(self)):
            check(self)


class OwnedModel(TruthfulValidation):
    """Base of every record: owner, marking, release, authorship, version and history."""

    owner = models.ForeignKey(
        Workspace, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner workspace")
    )
    marking = models.ForeignKey(
        Marking,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("marking"),
    )
    release = models.CharField(
        _("release"), max_length=10, choices=Release.choices, default=Release.PRIVATE
    )
    released_to = models.ManyToManyField(
        Workspace, blank=True, related_name="+", verbose_name=_("released to")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    # Optimistic concurrency: a save from an outdated form is refused (see core.concurrency).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(inherit=True, get_user=history_user, bases=[HistoryAuditFields])
    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        actor = current_actor()
        if actor is not None:
            if self._state.adding and self.created_by_id is None:
                self.created_by = actor  # type: ignore[assignment]
            self.updated_by = actor  # type: ignore[assignment]
        if not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}", args=[self.pk])


class ChildModel(TruthfulValidation):
    """A record that belongs to a parent and follows its release (`parent_field`)."""

    parent_field: ClassVar[str] = ""

    history = HistoricalRecords(inherit=True, get_user=history_user, bases=[HistoryAuditFields])
    objects = ChildQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        parent: Any = getattr(self, self.parent_field)
        return str(parent.get_absolute_url())


def ordered_constraint(
    low: str, high: str, name: str, message: Any = None
) -> models.CheckConstraint:
    """A database check that `high` is not below `low` when both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{high}__gte": F(low)}),
        name=name,
        violation_error_message=message,
    )


# YYYY, YYYY-MM or YYYY-MM-DD: what is known of a date, and no more.
partial_iso_date = RegexValidator(
    r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
    _("Use YYYY, YYYY-MM or YYYY-MM-DD."),
)


def period_field(verbose_name: Any = None, help_text: Any = None) -> models.CharField[str, str]:
    """A partial ISO date or period (YYYY, YYYY-MM): what is known when a day is not."""
    return models.CharField(
        verbose_name or _("period"),
        max_length=10,
        blank=True,
        validators=[partial_iso_date],
        help_text=help_text or _("What is known when the exact dates are not: YYYY or YYYY-MM."),
    )


def period_bounds(period: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a partial ISO period (YYYY, YYYY-MM or a day)."""
    try:
        if len(period) == 4:
            return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)
        if len(period) == 7:
            year, month = int(period[:4]), int(period[5:])
            return dt.date(year, month, 1), dt.date(year, month, monthrange(year, month)[1])
        if len(period) == 10:
            day = dt.date.fromisoformat(period)
            return day, day
    except ValueError:
        return None
    return None


def date_order_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """A database check that the end date is not before the start date."""
    return ordered_constraint(start, end, name, _("The end date cannot be before the start date."))


def non_negative_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=_("The amount cannot be negative."),
    )


class Source(OwnedModel):
    """A document as received: a file, a text or a web page."""

    class Kind(models.TextChoices):
        WEB_PAGE = "web_page", _("Web page")
        PRESS_ARTICLE = "press_article", _("Press article")
        OFFICIAL = "official", _("Official document")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to="sources/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    modified_on = models.DateField(_("last modified"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.FRENCH
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """Links a record, or one of its fields, to the passage of a source that supports it."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="citations", verbose_name=_("source")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        _("field"), max_length=100, blank=True, help_text=_("Empty when the whole record is cited.")
    )
    quote = models.TextField(_("quoted passage"))
    start = models.PositiveIntegerField(_("start offset"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end offset"), null=True, blank=True)
    confidence = models.DecimalField(
        _("confidence"),
        max_digits=4,
        decimal_places=3,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user, bases=[HistoryAuditFields])
    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="citation_confidence_0_1",
            ),
            ordered_constraint(
                "start", "end", "citation_span_order", _("The span ends before it starts.")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: «{self.quote[:60]}»"


class AuditHead(models.Model):
    """The single row that holds the end of the audit chain; locked to append."""

    last_hash = models.CharField(max_length=64, default="")
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.length}: {self.last_hash[:12]}"


class AuditLink(models.Model):
    """One history row's place in the tamper-evident chain (see core.audit)."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    history_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("history table")
    )
    history_id = models.PositiveBigIntegerField(_("history row"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit link")
        verbose_name_plural = _("audit links")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["history_type", "history_id"], name="audit_link_once")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.entry_hash[:12]}"


class SearchEntry(models.Model):
    """The folded text of one record, for accent- and case-insensitive search (core.search)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    text = models.TextField(_("folded text"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Preference(models.Model):
    """A user's own settings, kept across sessions and devices: the interface language,
    and each list's columns (chosen and ordered) and page size."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="liaison_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    # {"app_label.model_name": {"columns": [names in order], "per_page": n}}
    lists = models.JSONField(_("list settings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"


class SavedFilter(models.Model):
    """A named list filter (the query string of a list page), kept for its user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name=_("user"),
    )
    path = models.CharField(_("list page"), max_length=200)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "name"], name="saved_filter_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


class TaskRun(models.Model):
    """One piece of background work (an intake batch, an import, a screening), with its
    progress, so that the page that started it can show how far it has gone."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100)
    label = models.CharField(_("label"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_runs",
        verbose_name=_("started by"),
    )
    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="task_runs",
        verbose_name=_("workspace"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker while the job runs (core.tasks): a run whose heartbeat stops
    # lost its worker, and is requeued or failed rather than left "running".
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    # What the task runner itself says of a run (core.tasks), kept as a code and its
    # values in result["notice"] so that each reader reads it in their own language.
    NOTICES: ClassVar[dict[str, Any]] = {
        "lost": _(
            "Its worker stopped at about %(time)s; the job did not finish and will not "
            "run again (what it was writing was undone). Start it again."
        ),
        "waiting": _("Its worker stopped at about %(time)s; the job waits for another worker."),
        "silent": _(
            "No sign of life from its worker since %(time)s; if the worker stopped, the "
            "job will run again by %(back)s."
        ),
        "attempts": _(
            "The job stopped %(count)s times without finishing (its worker was lost, "
            "perhaps for want of memory); it will not run again. What it was writing was "
            "undone."
        ),
        "database": _("The database could not be reached (%(error)s)."),
        "retry": _(
            "The database could not be reached (%(error)s). The job will try again in "
            "%(seconds)s s."
        ),
    }

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def shown_message(self) -> str:
        """The message, in the reader's language when the task runner wrote it."""
        from django.utils import formats, timezone
        from django.utils.dateparse import parse_datetime

        notice = self.result.get("notice") if isinstance(self.result, dict) else None
        if not isinstance(notice, dict) or notice.get("code") not in self.NOTICES:
            return self.message
        values = dict(notice.get("values") or {})
        for key in ("time", "back"):
            when = parse_datetime(str(values.get(key, "")))
            if when is not None:
                values[key] = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
        return str(self.NOTICES[notice["code"]] % values)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ExternalReference(models.Model):
    """A record's identifier in another system (`scheme`: "ftm" for FollowTheMoney), so
    that what went out and comes back in lands on the same record."""

    scheme = models.CharField(_("scheme"), max_length=20)
    value = models.CharField(_("identifier"), max_length=200)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external reference")
        verbose_name_plural = _("external references")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="external_reference_once"),
            models.UniqueConstraint(
                fields=["scheme", "content_type", "object_id"],
                name="external_reference_one_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class CalendarToken(models.Model):
    """The secret in a user's calendar feed addresses; regenerated from the profile page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return f"{self.user}: {self.key[:6]}…"
