"""Source pages: the list, the document with its cited passages, and its metadata form."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, QuerySet
from django.http import HttpRequest

from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    field_label,
)
from liaison.core.models import Citation, Source
from liaison.core.querysets import visible
from liaison.core.source_filtersets import SourceFilterSet
from liaison.core.source_forms import SourceForm
from liaison.core.source_tables import SourceTable

# Foreign keys that no record's name or address needs.
_AUDIT_FIELDS = {"owner", "marking", "created_by", "updated_by", "decided_by"}


def display_related(model: type[models.Model], depth: int = 2) -> list[str]:
    """The foreign keys to follow so that a record's name and address cost no query
    (a session's name needs its course; an enrolment's address, its session)."""
    paths: list[str] = []
    for field in model._meta.concrete_fields:
        if not field.many_to_one or field.name in _AUDIT_FIELDS:
            continue
        paths.append(field.name)
        related = field.related_model
        if depth > 1 and isinstance(related, type):
            paths.extend(f"{field.name}__{sub}" for sub in display_related(related, depth - 1))
    return paths


def cited_records(citations: list[Any], user: Any) -> dict[tuple[int, int], models.Model]:
    """The records the citations support, one query per kind of record, visible ones only."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for citation in citations:
        wanted[citation.content_type_id].add(citation.object_id)
    records: dict[tuple[int, int], models.Model] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not hasattr(model._default_manager, "visible_to"):
            continue
        found = list(
            visible(model, user).select_related(*display_related(model)).filter(pk__in=ids)
        )
        for record in found:
            records[(type_id, record.pk)] = record
    return records


def locate(text: str, citation: Any) -> tuple[int, int] | None:
    """Where a cited passage is in the text: its offsets if they hold, else its first
    occurrence, else nowhere."""
    start, end = citation.start, citation.end
    if start is not None and end is not None and 0 <= start < end <= len(text):
        return start, end
    if citation.quote:
        found = text.find(citation.quote)
        if found >= 0:
            return found, found + len(citation.quote)
    return None


def merged(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, list[int]]]:
    """Overlapping passages merged into one stretch, with the numbers of all of them."""
    stretches: list[tuple[int, int, list[int]]] = []
    for start, end, number in sorted(spans):
        if stretches and start < stretches[-1][1]:
            first, last, numbers = stretches[-1]
            stretches[-1] = (first, max(last, end), [*numbers, number])
        else:
            stretches.append((start, end, [number]))
    return stretches


def marked_paragraphs(text: str, spans: list[tuple[int, int, int]]) -> list[list[dict[str, Any]]]:
    """The text cut in paragraphs (its lines) and segments; a segment of cited text
    carries the numbers of the passages it belongs to (overlapping passages are merged)."""
    stretches = merged(spans)
    paragraphs = []
    offset = 0
    first = 0
    for line in text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        if not line.strip():
            continue
        segments: list[dict[str, Any]] = []
        position = line_start
        while first < len(stretches) and stretches[first][1] <= line_start:
            first += 1
        for start, end, numbers in stretches[first:]:
            if start >= line_end:
                break
            begin, stop = max(start, line_start), min(end, line_end)
            if begin > position:
                segments.append({"text": text[position:begin], "numbers": []})
            segments.append(
                {
                    "text": text[begin:stop],
                    "numbers": numbers,
                    "first": begin == start,
                    "last": stop == end,
                }
            )
            position = stop
        if position < line_end:
            segments.append({"text": text[position:line_end], "numbers": []})
        paragraphs.append(segments)
    return paragraphs


class SourceListView(ObjectListView):
    model = Source
    filterset_class = SourceFilterSet
    table_class = SourceTable
    select_related = ("owner", "marking")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The text can be long: a list does not need it.
        return super().base_queryset(request).defer("text")


class SourceDetailView(ObjectDetailView):
    model = Source
    template_name = "core/source_detail.html"
    summary_fields = (
        "title", "kind", "url", "publisher", "author", "published_on", "modified_on",
        "language", "file", "file_name", "sha256", "notes",
    )  # fmt: skip

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().base_queryset(request).select_related("owner", "marking")

    def extra_context(self, request: HttpRequest, obj: Source) -> dict[str, Any]:
        citations = list(
            visible(Citation, request.user)
            .filter(source=obj)
            .select_related("content_type")
            .order_by(F("start").asc(nulls_last=True), "pk")
        )
        records = cited_records(citations, request.user)
        spans = []
        passages = []
        for number, citation in enumerate(citations, start=1):
            span = locate(obj.text, citation)
            model = citation.content_type.model_class()
            if span is not None:
                spans.append((span[0], span[1], number))
            passages.append(
                {
                    "number": number,
                    "citation": citation,
                    "record": records.get((citation.content_type_id, citation.object_id)),
                    "kind": model._meta.verbose_name if model else citation.content_type.model,
                    "field": field_label(model, citation.field),
                    "located": span is not None,
                }
            )
        return {"passages": passages, "paragraphs": marked_paragraphs(obj.text, spans)}


class SourceEditView(ObjectEditView):
    model = Source
    form_class = SourceForm


class SourceDeleteView(ObjectDeleteView):
    model = Source
