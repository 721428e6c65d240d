"""Bulk create-or-update, all or nothing: `POST /api/<records>/bulk/` with a JSON list.

Each item is a record as the endpoint takes it. An item with an `id` updates that
record; one with an external identifier (`bulk_match_fields`) updates the record that
carries it in a workspace where the caller writes, or creates it. An item that updates
a record must give the `version` it read (the record's `version` field, as in its ETag):
the update is refused if the record is no longer at that version, and without one, so
that no item overwrites a change its sender never saw. Items are applied
in order in one transaction; if any item fails (validation, permission, a stale
`version`, a rule of the database), nothing is written and the answer lists every
failure with its item index and field.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.core import access
from liaison.core.api.errors import InvalidValue, PreconditionFailed, flatten
from liaison.core.api.schema import ErrorsSerializer
from liaison.core.concurrency import StaleVersion, lock_current_version

MAX_ID = 10**18


class _Rollback(Exception):
    """Raised inside the transaction to undo every item when one failed."""


def _invalid(field: str | None, message: str, code: str) -> exceptions.ValidationError:
    key = field or "non_field_errors"
    return exceptions.ValidationError({key: [ErrorDetail(message, code=code)]})


def bulk_schema(serializer_class: type[serializers.Serializer[Any]]) -> Any:
    """The OpenAPI description of a viewset's `bulk` action."""
    item = type(
        f"{serializer_class.__name__.removesuffix('Serializer')}BulkItem",
        (serializer_class,),
        {
            "id": serializers.IntegerField(
                required=False, min_value=1, help_text="Update this record."
            ),
            "version": serializers.IntegerField(
                required=False,
                min_value=1,
                help_text="Required to update a record: the version you read. The update is "
                "refused if the record is no longer at this version.",
            ),
            "Meta": type("Meta", (serializer_class.Meta,), {}),  # type: ignore[attr-defined]
        },
    )
    result = inline_serializer(
        f"{serializer_class.__name__.removesuffix('Serializer')}BulkResult",
        {
            "created": serializers.IntegerField(),
            "updated": serializers.IntegerField(),
            "results": serializer_class(many=True),
        },
    )
    return extend_schema(
        request=item(many=True),
        responses={200: result, 400: ErrorsSerializer},
        description=__doc__,
    )


class BulkUpsertMixin:
    """Adds `bulk` to a RecordViewSet."""

    bulk_max_items: ClassVar[int] = 1000
    # Fields that identify a record across systems when an item has no id.
    bulk_match_fields: ClassVar[tuple[str, ...]] = ("external_id",)

    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request: Request) -> Response:
        view: Any = self
        items = request.data
        if not isinstance(items, list):
            raise _invalid(None, _("Send a JSON list of records."), "not_a_list")
        if len(items) > self.bulk_max_items:
            message = _("Send at most %(count)d records at once.") % {"count": self.bulk_max_items}
            raise _invalid(None, message, "too_many")
        if not access.writable_workspace_ids(request.user, view.model):
            raise exceptions.PermissionDenied
        errors: list[dict[str, Any]] = []
        done: list[tuple[models.Model, bool]] = []
        try:
            with transaction.atomic(), view.acting():
                for index, item in enumerate(items):
                    try:
                        with transaction.atomic():
                            done.append(self._apply(index, item))
                    except exceptions.APIException as error:
                        errors.extend({"index": index, **e} for e in flatten(error.detail))
                if errors:
                    raise _Rollback
        except _Rollback:
            return Response({"errors": errors}, status=400)
        results = view.get_serializer([obj for obj, _created in done], many=True).data
        created = sum(1 for _obj, was_created in done if was_created)
        return Response({"created": created, "updated": len(done) - created, "results": results})

    def _apply(self, index: int, item: Any) -> tuple[models.Model, bool]:
        view: Any = self
        if not isinstance(item, dict):
            raise _invalid(None, _("Each item must be a JSON object."), "invalid")
        instance = self._find(item)
        if instance is None:
            serializer = view.get_serializer(data=item)
            serializer.is_valid(raise_exception=True)
            view.check_can_add(serializer.validated_data)
        else:
            if not access.can(view.request.user, access.CHANGE, instance):
                raise exceptions.PermissionDenied
            self._lock(instance, item.get("version"))
            serializer = view.get_serializer(instance, data=item, partial=True)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if view.workspace_of(data, instance) != view.workspace_of({}, instance):
                view.check_can_add(data, instance)
        try:
            serializer.save()
        except DatabaseError as error:  # a rule only the database knows
            raise InvalidValue(_("A rule of the database refused this record.")) from error
        return serializer.instance, instance is None

    def _lock(self, instance: models.Model, version: Any) -> None:
        """Lock the record's row and check that it is still at the `version` the item read."""
        if not any(f.name == "version" for f in instance._meta.concrete_fields):
            list(type(instance)._default_manager.select_for_update().filter(pk=instance.pk))
            instance.refresh_from_db()
            return
        if version is None:
            message = _(
                'Give the version of the record you read (its "version"): without it, this '
                "update could overwrite a newer change."
            )
            raise _invalid("version", message, "required")
        if isinstance(version, bool) or not (isinstance(version, int) and version > 0):
            raise _invalid("version", _("A valid integer is required."), "invalid")
        try:
            lock_current_version(instance, version)
        except StaleVersion as stale:
            raise _invalid("version", str(PreconditionFailed.default_detail), "stale") from stale
        instance.refresh_from_db()

    def _find(self, item: dict[str, Any]) -> models.Model | None:
        """The record an item updates: by id (it must exist and be visible), else by an
        external identifier among the records of the workspaces where the caller writes."""
        view: Any = self
        queryset = view.base_queryset()
        pk = item.get("id")
        if pk is not None:
            if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < MAX_ID:
                raise _invalid("id", _("A valid integer is required."), "invalid")
            found = queryset.filter(pk=pk).first()
            if found is None:
                raise _invalid("id", str(exceptions.NotFound.default_detail), "not_found")
            return found
        writable = access.writable_workspace_ids(view.request.user, view.model)
        owner = item.get("owner")
        if isinstance(owner, int) and owner in writable:
            writable = {owner}
        for field in self.bulk_match_fields:
            value = item.get(field)
            if isinstance(value, str) and value:
                matches = list(queryset.filter(**{field: value}, owner__in=writable)[:2])
                if len(matches) > 1:
                    message = _("Several records carry this identifier: give the id instead.")
                    raise _invalid(field, message, "ambiguous")
                if matches:
                    return matches[0]
        return None
