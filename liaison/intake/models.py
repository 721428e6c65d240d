"""Documents under review, the records proposed from them, and the mentions rejected.

A document is queued with its original kept as a core.Source; the pipeline (run in the
background) stores what it read (an Extraction, as JSON) and one Proposal per mention.
Nothing becomes a record until a person accepts the proposal (intake.services).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ChildModel, OwnedModel, Source, Workspace


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready for review")
    FAILED = "failed", _("Failed")
    REVIEWED = "reviewed", _("Reviewed")


class ProposalKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organisation")
    PERSON = "person", _("Person")
    POSITION = "position", _("Position")
    PLACE = "place", _("Place")
    AGREEMENT = "agreement", _("Agreement")
    EVENT = "event", _("Event")
    ACTIVITY = "activity", _("Activity")


# The order in which proposals are accepted in bulk: what others link to comes first.
KIND_ORDER = [k.value for k in ProposalKind]


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")


class IntakeDocument(OwnedModel):
    """One document read by the intake: its original (a Source), what the pipeline read
    and where its review stands."""

    title = models.CharField(_("title"), max_length=500)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake_documents",
        verbose_name=_("source"),
    )
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    extraction = models.JSONField(_("extraction"), default=dict, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document under review")
        verbose_name_plural = _("documents under review")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return str(self.extraction.get("text", "")) if self.extraction else ""


class Proposal(ChildModel):
    """A record the pipeline proposes: its fields, the span that supports it, the
    existing records it may be, and what the reviewer decided."""

    parent_field = "document"
    document = models.ForeignKey(
        IntakeDocument,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("document"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    label = models.CharField(_("mention"), max_length=500)
    fields = models.JSONField(_("proposed fields"), default=dict, blank=True)
    start = models.PositiveIntegerField(_("start offset"), default=0)
    end = models.PositiveIntegerField(_("end offset"), default=0)
    confidence = models.FloatField(_("confidence"), default=0)
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    # The links the record will have once accepted (intake.relations.Link as dicts): a
    # draft pointing to other proposals of the document or to existing records, edited
    # and decided with its proposal, never queried on its own, hence JSON like `fields`.
    links = models.JSONField(_("links"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    record_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("record type"),
    )
    record_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["document", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def open(self) -> bool:
        return self.status == ProposalStatus.PROPOSED

    def field(self, name: str) -> Any:
        return self.fields.get(name)


class Rejection(models.Model):
    """A mention a workspace rejected: the intake does not propose it again there."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", verbose_name=_("workspace")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    text = models.CharField(_("folded mention"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rejected mention")
        verbose_name_plural = _("rejected mentions")
        indexes = [models.Index(fields=["workspace", "kind", "text"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"
