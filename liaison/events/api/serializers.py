from __future__ import annotations

from rest_framework import serializers

from liaison.core.api.serializers import RECORD_FIELDS, ChildSerializer, RecordSerializer, nested
from liaison.events.models import ContextEvent, DateFlag, Event, Participant

DATED_FIELDS = ("start_date", "end_date", "period", "date_as_written", "date_flags")


def date_flags_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=DateFlag.choices), required=False
    )


class ParticipantSerializer(ChildSerializer):
    """A person or an organisation at an event; it follows the event's release."""

    class Meta:
        model = Participant
        fields = ["id", "event", "person", "organization", "role", "capacity", "attended"]


class EventSerializer(RecordSerializer):
    date_flags = date_flags_field()

    class Meta:
        model = Event
        fields = [
            *RECORD_FIELDS, "title", "kind", "topic", "description", *DATED_FIELDS, "country",
            "subdivision", "venue", "locality", "organisers", "activity",
        ]  # fmt: skip


class EventDetailSerializer(EventSerializer):
    """One event with its participants."""

    participants = nested(ParticipantSerializer)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "participants"]


class ContextEventSerializer(RecordSerializer):
    date_flags = date_flags_field()

    class Meta:
        model = ContextEvent
        fields = [
            *RECORD_FIELDS, "title_fr", "title_en", "kind", "description", *DATED_FIELDS,
            "country", "actors",
        ]  # fmt: skip
