from __future__ import annotations

from liaison.accountability.models import Implication, Incident
from liaison.core.api.serializers import RECORD_FIELDS, ChildSerializer, RecordSerializer, nested
from liaison.events.api.serializers import DATED_FIELDS, date_flags_field


class ImplicationSerializer(ChildSerializer):
    """A unit or a person implicated in an incident; it follows the incident's release."""

    class Meta:
        model = Implication
        fields = ["id", "incident", "person", "organization", "role", "note"]


class IncidentSerializer(RecordSerializer):
    date_flags = date_flags_field()

    class Meta:
        model = Incident
        fields = [
            *RECORD_FIELDS, "title", "kind", "status", "established_by", "description",
            *DATED_FIELDS, "country", "subdivision", "locality", "external_id",
        ]  # fmt: skip


class IncidentDetailSerializer(IncidentSerializer):
    """One incident with the units and persons it implicates."""

    implications = nested(ImplicationSerializer)

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "implications"]
