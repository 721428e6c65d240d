from __future__ import annotations

from rest_framework import serializers

from liaison.core.api.serializers import RECORD_FIELDS, RecordSerializer
from liaison.partners.models import Organization, Person, Position


def aliases_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, help_text="Other names."
    )


class OrganizationSerializer(RecordSerializer):
    aliases = aliases_field()

    class Meta:
        model = Organization
        fields = [
            *RECORD_FIELDS, "name_fr", "name_en", "acronym_fr", "acronym_en", "aliases", "kind",
            "country", "parent", "website", "description", "external_id",
        ]  # fmt: skip


class PersonSerializer(RecordSerializer):
    aliases = aliases_field()

    class Meta:
        model = Person
        fields = [
            *RECORD_FIELDS, "full_name", "given_names", "family_name", "aliases", "rank",
            "gender", "nationality", "birth_date", "description", "external_id",
        ]  # fmt: skip


class PositionSerializer(RecordSerializer):
    class Meta:
        model = Position
        fields = [
            *RECORD_FIELDS, "person", "organization", "title_fr", "title_en", "start_date",
            "end_date", "is_current",
        ]  # fmt: skip
