from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.api.pagination import CursorPagination
from liaison.core.api.views import RecordViewSet
from liaison.core.search import matching_ids
from liaison.core.text import fold
from liaison.events.api import serializers
from liaison.events.filtersets import ContextEventFilterSet, EventFilterSet
from liaison.events.models import ContextEvent, Event, Participant
from liaison.partners.models import Organization, Person

AUDIT = ("created_by", "updated_by")


class ParticipantFilterSet(django_filters.FilterSet):
    """Minimal filters for the API: participants have no list page (and so no filterset)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    event = django_filters.NumberFilter(field_name="event_id", label=_("Event"))
    person = django_filters.NumberFilter(field_name="person_id", label=_("Person"))
    organization = django_filters.NumberFilter(
        field_name="organization_id", label=_("Organisation")
    )
    role = django_filters.MultipleChoiceFilter(choices=Participant.Role.choices, label=_("Role"))

    class Meta:
        model = Participant
        fields = ["q", "event", "person", "organization", "role"]

    def search(self, queryset: models.QuerySet[Any], name: str, value: str) -> Any:
        """Participants whose person's or organisation's name holds every word."""
        words = fold(value).split()
        if not words:
            return queryset
        return queryset.filter(
            Q(person__in=matching_ids(Person, words))
            | Q(organization__in=matching_ids(Organization, words))
        )


class EventViewSet(RecordViewSet):
    """Seminars, training events, ceremonies, visits; one event's answer includes its
    participants."""

    model = Event
    serializer_class = serializers.EventSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = EventFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to", "organisers")
    ordering_fields = ("id", "title", "start_date", "period", "created_at", "updated_at")

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("participants")
        return queryset


class ParticipantViewSet(RecordViewSet):
    """Participants of events; changing them needs the right to change the event."""

    model = Participant
    serializer_class = serializers.ParticipantSerializer
    filterset_class = ParticipantFilterSet
    pagination_class = CursorPagination
    ordering_fields = ("id",)


class ContextEventViewSet(RecordViewSet):
    """The security and political context, on the same timeline as the activities."""

    model = ContextEvent
    serializer_class = serializers.ContextEventSerializer
    filterset_class = ContextEventFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to", "actors")
    ordering_fields = ("id", "title_fr", "title_en", "start_date", "period", "created_at")
