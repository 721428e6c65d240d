from __future__ import annotations

from typing import Any

from rest_framework import serializers

from liaison.core.api.serializers import RECORD_FIELDS, RecordSerializer
from liaison.vetting.models import GateOverride, HitsOn, VettingBatch, VettingRequest


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
            "evidence", "valid_until", "conditions", "hits_on", "batch",
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


class VettingBatchSerializer(RecordSerializer):
    """A batch of requests (at most 50 subjects); its status moves through
    POST .../status/ (services.set_batch_status), requests join it through POST
    .../add/ (services.add_to_batch)."""

    subjects = serializers.SerializerMethodField()

    class Meta:
        model = VettingBatch
        fields = [*RECORD_FIELDS, "reference", "status", "submitted_on", "notes", "subjects"]
        read_only_fields = ("status", "submitted_on")

    def get_subjects(self, obj: VettingBatch) -> int:
        return int(VettingRequest._base_manager.filter(batch=obj).count())


class DecisionSerializer(serializers.Serializer):
    """A decision on a file, taken by the services (the file's If-Match is required)."""

    status = serializers.ChoiceField(
        choices=[(s, s) for s in sorted(VettingRequest.DECISIONS | {"in_review"})],
        required=False,
    )
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    evidence = serializers.CharField(allow_blank=True, required=False, default="")
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    conditions = serializers.CharField(allow_blank=True, required=False, default="")
    hits_on = serializers.ChoiceField(
        choices=HitsOn.choices, allow_blank=True, required=False, default=""
    )


class BatchAddSerializer(serializers.Serializer):
    requests = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class BatchStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VettingBatch.Status.choices)


class GateOverrideSerializer(serializers.ModelSerializer):
    """A manager's written override of the vetting gate. Created through the service
    (services.grant_override): give the session, event or activity, and the person or unit;
    the gate, who granted it and when are set by it."""

    granted_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = GateOverride
        fields = [
            "id", "gate", "session", "event", "activity", "subject_person",
            "subject_organization", "reason", "granted_by", "granted_at",
        ]  # fmt: skip
        read_only_fields = ("gate", "granted_by", "granted_at")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # Only records the caller sees may be named: another is "does not exist", exactly
        # as a missing one.
        from liaison.core.querysets import visible

        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name in ("session", "event", "activity", "subject_person", "subject_organization"):
            field: Any = fields[name]
            field.queryset = visible(field.queryset.model, user)
        return fields
