from __future__ import annotations

from liaison.core.api.pagination import CursorPagination
from liaison.core.api.views import RecordViewSet
from liaison.partners.api import serializers
from liaison.partners.filtersets import OrganizationFilterSet, PersonFilterSet, PositionFilterSet
from liaison.partners.models import Organization, Person, Position

AUDIT = ("created_by", "updated_by")


class OrganizationViewSet(RecordViewSet):
    """Organisations: ministries, units, schools, donors... (a tree through `parent`)."""

    model = Organization
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    pagination_class = CursorPagination
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "name_fr", "name_en", "kind", "created_at", "updated_at")


class PersonViewSet(RecordViewSet):
    """Persons, without rank or title in the name."""

    model = Person
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilterSet
    pagination_class = CursorPagination
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "full_name", "family_name", "created_at", "updated_at")


class PositionViewSet(RecordViewSet):
    """Roles held by persons in organisations, from a date to a date."""

    model = Position
    serializer_class = serializers.PositionSerializer
    filterset_class = PositionFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "start_date", "end_date", "created_at", "updated_at")
