"""Event and context pages: configuration of the core generic views.

Participants have no pages of their own: they are shown and edited on their event's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFormsetEditView,
    ObjectListView,
    section,
)
from liaison.core.querysets import visible
from liaison.events import filtersets, forms, tables
from liaison.events.dates import dates_as_known, span_of
from liaison.events.filtersets import overlapping_dates
from liaison.events.models import ContextEvent, Event, Participant

# How far around a dated record the other timeline is shown.
AROUND = datetime.timedelta(days=60)


def participant_count() -> Coalesce:
    counted = (
        Participant.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def around(rows: QuerySet[Any], obj: Any) -> QuerySet[Any]:
    """The dated records of `rows` within AROUND of what is known of `obj`'s dates (by
    their exact dates or their period); none when nothing is known."""
    span = span_of(obj)
    if span is None:
        return rows.none()
    near = slice(span[0] - AROUND, span[1] + AROUND)
    return overlapping_dates(rows, near).order_by("start_date", "period", "pk")


# --- events -------------------------------------------------------------------------


class EventListView(ObjectListView):
    model = Event
    filterset_class = filtersets.EventFilterSet
    table_class = tables.EventTable
    select_related = ("country", "activity", "owner", "marking")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().base_queryset(request).annotate(participant_count=participant_count())


class EventDetailView(ObjectDetailView):
    model = Event
    template_name = "events/event_detail.html"
    summary_fields = (
        "title", "kind", "topic", "country", "subdivision", "locality", "venue", "organisers",
        "activity", "description",
    )  # fmt: skip

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related("country", "subdivision", "venue", "activity", "owner", "marking")
        )

    def related(self, request: HttpRequest, obj: Event) -> list[dict[str, Any]]:
        context = around(visible(ContextEvent, request.user), obj)
        return [section(_("context at the time"), context)]

    def extra_context(self, request: HttpRequest, obj: Event) -> dict[str, Any]:
        participants = list(
            visible(Participant, request.user)
            .filter(event=obj)
            .select_related("person", "organization")
            .order_by("person__full_name", "organization__name_fr", "pk")
        )
        by_role = []
        for role, label in Participant.Role.choices:
            rows = [p for p in participants if p.role == role]
            if rows:
                by_role.append({"role": role, "label": label, "rows": rows})
        return {
            "dates": dates_as_known(obj),
            "participants_by_role": by_role,
            "participant_total": len(participants),
        }


class EventEditView(ObjectFormsetEditView):
    model = Event
    form_class = forms.EventForm
    formsets = {"participants": forms.ParticipantFormSet}

    def child_queryset(self, request: HttpRequest, formset_class: Any) -> QuerySet[Any]:
        return (
            super()
            .child_queryset(request, formset_class)
            .select_related("person", "organization")
            .order_by("role", "pk")
        )


class EventDeleteView(ObjectDeleteView):
    model = Event


# --- context --------------------------------------------------------------------------


class ContextEventListView(ObjectListView):
    model = ContextEvent
    filterset_class = filtersets.ContextEventFilterSet
    table_class = tables.ContextEventTable
    select_related = ("country", "owner", "marking")


class ContextEventDetailView(ObjectDetailView):
    model = ContextEvent
    template_name = "events/contextevent_detail.html"
    summary_fields = ("title_fr", "title_en", "kind", "country", "actors", "description")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().base_queryset(request).select_related("country", "owner", "marking")

    def related(self, request: HttpRequest, obj: ContextEvent) -> list[dict[str, Any]]:
        events = around(visible(Event, request.user), obj)
        return [section(_("events at the time"), events)]

    def extra_context(self, request: HttpRequest, obj: ContextEvent) -> dict[str, Any]:
        return {"dates": dates_as_known(obj)}


class ContextEventEditView(ObjectEditView):
    model = ContextEvent
    form_class = forms.ContextEventForm


class ContextEventDeleteView(ObjectDeleteView):
    model = ContextEvent
