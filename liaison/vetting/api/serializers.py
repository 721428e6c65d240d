from __future__ import annotations

from typing import Any

from rest_framework import serializers

from liaison.core.api.serializers import RECORD_FIELDS, RecordSerializer
from liaison.vetting.models import VettingRequest


class VettingRequestSerializer(RecordSerializer):
    """A vetting file: seen and changed by vetting officers only. The decision (status,
    reasons, evidence, who decided, when, until when) is read-only here: it is taken on
    the file's page (services.decide, suspend, cancel, reinstate). So is the subject of a
    file that has left the queue."""

    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Username of who decided."
    )

    class Meta:
        model = VettingRequest
        fields = [
            *RECORD_FIELDS, "subject_person", "subject_organization", "activity", "enrollment",
            "event", "status", "requested_on", "decided_on", "decided_by", "decision_reason",
            "evidence", "valid_until",
        ]  # fmt: skip
        read_only_fields = VettingRequest.DECISION_FIELDS

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if isinstance(self.instance, VettingRequest):
            for name in self.instance.locked_fields():
                fields[name].read_only = True
        return fields


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
