"""Serializer bases, and the serializers of core's own records (sources, citations).

A record serializer exposes what every record carries (owner, marking, release,
released_to, version, created and updated), validates with the model's own rules
(`full_clean`: fields, constraints, uniqueness) plus the release rule of the forms, and
offers in every related-record field only what the caller may see (and the value the
record already holds, so that an unchanged field never fails).
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.relations import ManyRelatedField, RelatedField

from liaison.core import access
from liaison.core.api.errors import django_errors
from liaison.core.choices import Release
from liaison.core.models import Citation, Marking, Source, Workspace
from liaison.core.querysets import visible

RECORD_FIELDS = (
    "id",
    "owner",
    "marking",
    "release",
    "released_to",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
)


def _user(serializer: serializers.BaseSerializer[Any]) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ModelRulesSerializer(serializers.ModelSerializer):
    """A model serializer whose rules are the model's: `full_clean` before every save.

    DRF's own uniqueness validators are off: `full_clean` checks the model's unique
    fields and constraints (conditional ones included) exactly as the database will.
    """

    def get_validators(self) -> list[Any]:
        return []

    def get_uniqueness_extra_kwargs(
        self, field_names: Any, declared_fields: Any, extra_kwargs: Any
    ) -> tuple[Any, Any]:
        return extra_kwargs, {}

    # --- choices: what the caller may see ------------------------------------------

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        user = _user(self)
        for name, field in fields.items():
            if field.read_only:
                continue
            target = field.child_relation if isinstance(field, ManyRelatedField) else field
            if not isinstance(target, RelatedField):
                continue
            relation: Any = target
            if relation.queryset is None:
                continue
            model = relation.queryset.model
            choices = self.related_choices(name, model, user)
            if choices is not None:
                relation.queryset = self._with_current(choices, field.source or name)
        return fields

    def related_choices(
        self, name: str, model: type[models.Model], user: Any
    ) -> models.QuerySet[Any] | None:
        """The records a related field may point to; None leaves the field as declared."""
        if hasattr(model._default_manager, "visible_to"):
            return visible(model, user)
        return None

    def _with_current(self, choices: models.QuerySet[Any], source: str) -> models.QuerySet[Any]:
        """`choices`, plus what the record already points to (keeping it is always allowed)."""
        instance = self.instance
        if not isinstance(instance, models.Model) or instance.pk is None:
            return choices
        model = choices.model
        model_field = next((f for f in instance._meta.get_fields() if f.name == source), None)
        if model_field is None:
            return choices
        if model_field.many_to_many:
            current: Any = getattr(instance, source).values("pk")
        else:
            value = getattr(instance, getattr(model_field, "attname", source), None)
            if value is None:
                return choices
            current = [value]
        return model._default_manager.filter(Q(pk__in=choices.values("pk")) | Q(pk__in=current))

    # --- validation: the model's rules ---------------------------------------------

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        self.full_clean(attrs)
        return attrs

    def candidate(self, attrs: dict[str, Any]) -> models.Model:
        """An unsaved copy of the record with `attrs` applied (many-to-many left out)."""
        model: type[models.Model] = self.Meta.model
        if isinstance(self.instance, models.Model):
            instance = copy.copy(self.instance)
            instance._state = copy.copy(self.instance._state)
            instance._state.fields_cache = dict(self.instance._state.fields_cache)
        else:
            instance = model()
        for key, value in attrs.items():
            if not model._meta.get_field(key).many_to_many:
                setattr(instance, key, value)
        return instance

    def full_clean(self, attrs: dict[str, Any]) -> None:
        """The model's rules on a candidate copy; what its `clean()` completes (a default
        drawn from another field, as a form would save it) is written too."""
        instance = self.candidate(attrs)
        many = [f.name for f in instance._meta.many_to_many]
        fields = [f for f in instance._meta.concrete_fields if f.name in self.fields]
        before = {f.attname: getattr(instance, f.attname) for f in fields}
        try:
            instance.full_clean(exclude=many)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error)) from error
        for field in fields:
            if self.fields[field.name].read_only:
                continue
            if getattr(instance, field.attname) != before[field.attname]:
                attrs[field.name] = getattr(instance, field.name)


class RecordSerializer(ModelRulesSerializer):
    """Base of every OwnedModel serializer: Meta.fields = [*RECORD_FIELDS, ...]."""

    owner = serializers.PrimaryKeyRelatedField(
        queryset=Workspace.objects.all(),
        required=False,
        help_text="Owner workspace; by default the only workspace where you may write.",
    )
    marking = serializers.PrimaryKeyRelatedField(
        queryset=Marking.objects.all(), required=False, allow_null=True
    )
    released_to = serializers.PrimaryKeyRelatedField(
        queryset=Workspace.objects.all(), many=True, required=False
    )
    version = serializers.IntegerField(read_only=True)
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    updated_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    def related_choices(
        self, name: str, model: type[models.Model], user: Any
    ) -> models.QuerySet[Any] | None:
        if name == "owner":
            writable = access.writable_workspace_ids(user, self.Meta.model)
            return Workspace.objects.filter(pk__in=writable)
        return super().related_choices(name, model, user)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "owner" not in attrs:
            attrs["owner"] = self.default_owner()
        self.check_release(attrs)
        return super().validate(attrs)

    def default_owner(self) -> Workspace:
        """The current workspace if writable, else the only writable one; else an error."""
        user = _user(self)
        writable = access.writable_workspace_ids(user, self.Meta.model)
        request = self.context.get("request")
        current = getattr(getattr(request, "_request", request), "workspace", None)
        if current is not None and current.pk in writable:
            return current
        if len(writable) == 1:
            return Workspace.objects.get(pk=next(iter(writable)))
        message = _("Say which workspace owns the record.")
        raise serializers.ValidationError({"owner": [ErrorDetail(message, code="required")]})

    def check_release(self, attrs: dict[str, Any]) -> None:
        """The rule of the record forms: a named release names at least one workspace."""
        instance: Any = self.instance if isinstance(self.instance, models.Model) else None
        release = attrs.get("release", getattr(instance, "release", Release.PRIVATE))
        if release != Release.NAMED:
            return
        if "released_to" in attrs:
            named = bool(attrs["released_to"])
        else:
            named = instance is not None and instance.released_to.exists()
        if not named:
            message = _("Name at least one workspace to release to.")
            raise serializers.ValidationError(
                {"released_to": [ErrorDetail(message, code="required")]}
            )


class ChildSerializer(ModelRulesSerializer):
    """Base of the serializers of child records (they follow their parent's release)."""


def nested(serializer_class: type[serializers.Serializer[Any]], **kw: Any) -> Any:
    """A read-only list of child records inside their parent's answer."""
    return serializer_class(many=True, read_only=True, **kw)


# --- core's own records -----------------------------------------------------------


class SourceSerializer(RecordSerializer):
    file = serializers.FileField(read_only=True, use_url=False)

    class Meta:
        model = Source
        fields = [
            *RECORD_FIELDS, "title", "kind", "file", "file_name", "text", "url", "publisher",
            "author", "published_on", "modified_on", "language", "sha256", "notes",
        ]  # fmt: skip


class CitationSerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = [
            "id", "source", "record_type", "object_id", "field", "quote", "start", "end",
            "confidence", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_record_type(self, obj: Citation) -> str:
        """The cited record's kind, as "app_label.model" (e.g. "partners.organization")."""
        return f"{obj.content_type.app_label}.{obj.content_type.model}"
