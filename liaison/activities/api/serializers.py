from __future__ import annotations

from rest_framework import serializers

from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    BudgetLine,
    Indicator,
    Objective,
    Request,
    Transaction,
)
from liaison.core.api.serializers import RECORD_FIELDS, ChildSerializer, RecordSerializer, nested


class AgreementSerializer(RecordSerializer):
    text = serializers.FileField(read_only=True, use_url=False)

    class Meta:
        model = Agreement
        fields = [
            *RECORD_FIELDS, "title", "reference", "parties", "signed_on", "valid_from",
            "valid_until", "scope", "text",
        ]  # fmt: skip


# --- an activity's parts, read inside the activity -----------------------------------


class ParticipationSerializer(ChildSerializer):
    class Meta:
        model = ActivityParticipation
        fields = ["id", "organization", "role"]


class PlaceSerializer(ChildSerializer):
    class Meta:
        model = ActivityPlace
        fields = ["id", "country", "subdivision", "locality"]


class BudgetLineSerializer(ChildSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "kind", "period_start", "period_end", "amount", "currency", "description"]


class TransactionSerializer(ChildSerializer):
    class Meta:
        model = Transaction
        fields = [
            "id", "transaction_type", "date", "amount", "currency", "provider", "receiver",
            "description",
        ]  # fmt: skip


class ObjectiveSerializer(ChildSerializer):
    class Meta:
        model = Objective
        fields = ["id", "text"]


class IndicatorSerializer(ChildSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id", "objective", "title", "unit", "baseline", "baseline_year", "target", "actual",
        ]  # fmt: skip


class ActivitySerializer(RecordSerializer):
    class Meta:
        model = Activity
        fields = [
            *RECORD_FIELDS, "title", "description", "activity_type", "status", "agreement",
            "parent", "planned_start", "planned_end", "actual_start", "actual_end", "period",
            "date_as_written", "currency", "iati_identifier", "external_id",
        ]  # fmt: skip


class ActivityDetailSerializer(ActivitySerializer):
    """One activity with its participating organisations, places, money and results."""

    participations = nested(ParticipationSerializer)
    places = nested(PlaceSerializer)
    budget_lines = nested(BudgetLineSerializer)
    transactions = nested(TransactionSerializer)
    objectives = nested(ObjectiveSerializer)
    indicators = nested(IndicatorSerializer)

    class Meta(ActivitySerializer.Meta):
        fields = [
            *ActivitySerializer.Meta.fields, "participations", "places", "budget_lines",
            "transactions", "objectives", "indicators",
        ]  # fmt: skip


class RequestSerializer(RecordSerializer):
    class Meta:
        model = Request
        fields = [
            *RECORD_FIELDS, "title", "description", "requester", "received_on", "received_period",
            "due_on", "urgency", "status", "answered_by",
        ]  # fmt: skip


class AssignmentSerializer(RecordSerializer):
    class Meta:
        model = Assignment
        fields = [
            *RECORD_FIELDS, "person", "organization", "sending_organization", "activity", "role",
            "start_date", "end_date",
        ]  # fmt: skip
