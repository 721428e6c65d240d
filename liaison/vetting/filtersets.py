from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.filtersets import RecordFilterSet
from liaison.core.querysets import visible
from liaison.core.text import fold
from liaison.partners.models import Organization, Person
from liaison.vetting.models import VettingBatch, VettingRequest

PURPOSES = [
    ("activity", _("An activity")),
    ("enrollment", _("An enrolment in a course")),
    ("event", _("An event")),
    ("none", _("No purpose recorded")),
]


class VettingRequestFilterSet(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=VettingRequest.Status.choices, label=_("Status")
    )
    subject = django_filters.CharFilter(method="filter_subject", label=_("Subject"))
    subject_person = django_filters.NumberFilter(
        field_name="subject_person_id", label=_("Person vetted (id)")
    )
    subject_organization = django_filters.NumberFilter(
        field_name="subject_organization_id", label=_("Unit vetted (id)")
    )
    purpose = django_filters.ChoiceFilter(
        choices=PURPOSES, method="filter_purpose", label=_("Purpose")
    )
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("For activity (id)"))
    event = django_filters.NumberFilter(field_name="event_id", label=_("For event (id)"))
    session = django_filters.NumberFilter(
        field_name="enrollment__session_id", label=_("For session (id)")
    )
    requested_on = django_filters.DateFromToRangeFilter(label=_("Requested on"))
    valid_until = django_filters.DateFromToRangeFilter(label=_("Valid until"))
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring", min_value=0, label=_("Expiring within (days)")
    )

    class Meta:
        model = VettingRequest
        fields = [
            "q", "status", "subject", "subject_person", "subject_organization", "purpose",
            "activity", "event", "session", "requested_on", "valid_until", "expiring_within",
            "owner", "marking", "release",
        ]  # fmt: skip

    def filter_subject(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Files whose subject's name holds every word, accents and case aside."""
        from liaison.core.search import matching_ids

        words = fold(value).split()
        if not words:
            return queryset
        # Only the subjects the user sees: a hidden subject's name matches nothing.
        user = getattr(self.request, "user", None)
        persons = visible(Person, user).filter(pk__in=matching_ids(Person, words))
        units = visible(Organization, user).filter(pk__in=matching_ids(Organization, words))
        return queryset.filter(
            Q(subject_person__in=persons.values("pk"))
            | Q(subject_organization__in=units.values("pk"))
        )

    def filter_purpose(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "none":
            return queryset.filter(activity=None, enrollment=None, event=None)
        if value in {"activity", "enrollment", "event"}:
            return queryset.filter(**{f"{value}__isnull": False})
        return queryset

    def filter_expiring(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Files still valid today whose validity ends within `value` days."""
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=int(value))
        )


class VettingBatchFilterSet(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=VettingBatch.Status.choices, label=_("Batch status")
    )

    class Meta:
        model = VettingBatch
        fields = ["q", "status", "owner", "marking", "release"]
