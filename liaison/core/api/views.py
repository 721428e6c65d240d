"""Viewset bases, and the views of core's own records (sources, citations).

An app's API view names its model, serializer, filterset (the list page's own) and
ordering fields; the bases do the rest:

- reads start from `visible(model, user)`: what the caller may not see does not exist
  (404 on a record, absent from lists, searches and counts);
- writes check `access.can` (change, delete) and `access.can_add` (in the owner
  workspace), run in one transaction under the row lock, honour If-Match (412 on a
  stale ETag) and record the caller as the actor of the change (channel "api");
- every single-record answer carries the record's ETag.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import django_filters
from django.db import models, transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from liaison.core import access
from liaison.core.api import serializers as core_serializers
from liaison.core.api.etags import etag_for, lock_and_check
from liaison.core.api.filters import OrderingFilter
from liaison.core.api.pagination import CursorPagination, PagePagination
from liaison.core.api.permissions import RecordPermission
from liaison.core.api.schema import LiaisonAutoSchema
from liaison.core.context import acting_as, client_ip
from liaison.core.models import Citation, Source
from liaison.core.querysets import visible
from liaison.core.source_filtersets import SourceFilterSet

# Record ids are positive 64-bit integers: longer digit strings never reach the database.
ID_PATTERN = r"[0-9]{1,18}"


class VisibleViewSet(viewsets.GenericViewSet):
    """Reads: the visible queryset, the model's filterset, ordering and pagination."""

    model: ClassVar[type[models.Model]]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    permission_classes = [RecordPermission]
    pagination_class: type[BasePagination] | None = PagePagination
    schema = LiaisonAutoSchema()
    lookup_value_regex = ID_PATTERN
    ordering: ClassVar[Any] = ("-pk",)
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    # The serializer of a single record's answer, when it says more than the list.
    detail_serializer_class: ClassVar[type[BaseSerializer[Any]] | None] = None
    uses_etags: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("model")
        if model is not None:
            # For the router's names and the schema; get_queryset() never reads it.
            cls.queryset = model._default_manager.none()

    def base_queryset(self) -> models.QuerySet[Any]:
        """THE enforcement point: nothing else is ever read."""
        return visible(self.model, self.request.user)

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = self.base_queryset()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def get_object(self) -> Any:
        """The record if the caller may see it; 404 otherwise, whether it exists or not."""
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(lookup).isdigit():
            raise NotFound
        obj = self.get_queryset().filter(pk=int(lookup)).first()
        if obj is None:
            raise NotFound
        self.check_object_permissions(self.request, obj)
        return obj

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def etag_headers(self, instance: models.Model) -> dict[str, str]:
        return {"ETag": etag_for(instance)} if self.uses_etags else {}

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        return Response(serializer.data, headers=self.etag_headers(instance))


class ReadOnlyRecordViewSet(mixins.ListModelMixin, VisibleViewSet):
    """List and read (`retrieve` comes from VisibleViewSet)."""


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    VisibleViewSet,
):
    """List, read, create, change and delete records, with ETags and If-Match."""

    uses_etags = True

    @contextmanager
    def acting(self) -> Iterator[None]:
        """Whoever called the API is the author of the change, in history and audit."""
        request: Any = self.request
        with acting_as(request.user, ip_address=client_ip(request), channel="api"):
            yield

    # --- who may write where -------------------------------------------------------

    def workspace_of(self, data: dict[str, Any], instance: Any = None) -> int | None:
        """The workspace that will own the record (its parent's, for a child record)."""
        parent_field = getattr(self.model, "parent_field", "")
        if parent_field:
            parent = data.get(parent_field) or getattr(instance, parent_field, None)
            return access.owner_workspace_id(parent) if parent is not None else None
        owner = data.get("owner") or getattr(instance, "owner", None)
        return getattr(owner, "pk", None)

    def check_can_add(self, data: dict[str, Any], instance: Any = None) -> None:
        if not access.can_add(self.request.user, self.model, self.workspace_of(data, instance)):
            raise PermissionDenied

    # --- writes ----------------------------------------------------------------------

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.can_add(request.user, self.model):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic(), self.acting():
            self.perform_create(serializer)
        instance = serializer.instance
        assert isinstance(instance, models.Model)
        return Response(serializer.data, status=201, headers=self.etag_headers(instance))

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        self.check_can_add(serializer.validated_data)
        serializer.save()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            lock_and_check(request, instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            with self.acting():
                self.perform_update(serializer)
        instance._prefetched_objects_cache = {}
        return Response(serializer.data, headers=self.etag_headers(instance))

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        instance = serializer.instance
        data = serializer.validated_data
        if self.workspace_of(data, instance) != self.workspace_of({}, instance):
            self.check_can_add(data, instance)  # moving it: it must be allowed there too
        serializer.save()

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_object()
            lock_and_check(request, instance)
            with self.acting():
                self.perform_destroy(instance)
        return Response(status=204)


class ReferenceViewSet(ReadOnlyRecordViewSet):
    """Reference data that nobody owns (countries, subdivisions): readable by every user."""

    def base_queryset(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all()


@csrf_exempt  # it changes nothing, and must answer JSON whatever the method
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/: a JSON 404 in the usual shape."""
    error = {"field": None, "code": "not_found", "message": _("Not found.")}
    return JsonResponse({"errors": [error]}, status=404)


# --- core's own records -----------------------------------------------------------


class CitationFilterSet(django_filters.FilterSet):
    """Citations have no list page (and so no shared filterset): the API's own filters."""

    source = django_filters.NumberFilter(field_name="source_id", label=gettext_lazy("Source"))
    record_type = django_filters.CharFilter(
        method="filter_record_type", label=gettext_lazy("Record type (app_label.model)")
    )
    object_id = django_filters.NumberFilter(label=gettext_lazy("Record id"))

    class Meta:
        model = Citation
        fields = ["source", "record_type", "object_id"]

    def filter_record_type(
        self, queryset: models.QuerySet[Any], name: str, value: str
    ) -> models.QuerySet[Any]:
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class SourceViewSet(RecordViewSet):
    model = Source
    serializer_class = core_serializers.SourceSerializer
    filterset_class = SourceFilterSet
    select_related = ("created_by", "updated_by")
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "title", "published_on", "created_at", "updated_at")


class CitationViewSet(ReadOnlyRecordViewSet):
    model = Citation
    serializer_class = core_serializers.CitationSerializer
    filterset_class = CitationFilterSet
    pagination_class = CursorPagination
    select_related = ("content_type",)
    ordering_fields = ("id", "created_at")
