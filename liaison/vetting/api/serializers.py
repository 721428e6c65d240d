from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import serializers

from liaison.core.api.serializers import RECORD_FIELDS, RecordSerializer
from liaison.core.querysets import member_workspace_ids
from liaison.vetting.models import VettingRequest


class VettingRequestSerializer(RecordSerializer):
    """A vetting file: seen and changed by vetting officers only."""

    decided_by = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model()._default_manager.none(),
        required=False,
        allow_null=True,
        help_text="Username of who decided (a member of one of your workspaces).",
    )

    class Meta:
        model = VettingRequest
        fields = [
            *RECORD_FIELDS, "subject_person", "subject_organization", "activity", "enrollment",
            "event", "status", "requested_on", "decided_on", "decided_by", "decision_reason",
            "evidence", "valid_until",
        ]  # fmt: skip

    def related_choices(
        self, name: str, model: type[models.Model], user: Any
    ) -> models.QuerySet[Any] | None:
        if name == "decided_by":
            # Colleagues only: the members of the caller's workspaces.
            members = get_user_model()._default_manager.filter(
                memberships__workspace__in=member_workspace_ids(user)
            )
            return members.distinct()
        return super().related_choices(name, model, user)


class ClearanceSerializer(serializers.Serializer):
    """What anyone who sees a vetting request may know: cleared or not, and until when."""

    id = serializers.IntegerField(source="pk", read_only=True)
    subject_person = serializers.IntegerField(
        source="subject_person_id", read_only=True, allow_null=True
    )
    subject_organization = serializers.IntegerField(
        source="subject_organization_id", read_only=True, allow_null=True
    )
    status = serializers.ChoiceField(choices=VettingRequest.Status.choices, read_only=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True)
