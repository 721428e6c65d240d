"""List filters of agreements, activities, requests and assignments.

Choice lists offer only what the user may see, and only the records that play the part
(the donors among organisations, the countries where activities take place...), so that
they stay short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django_filters
import django_filters.widgets
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.activities.choices import (
    ActivityStatus,
    ActivityType,
    ParticipationRole,
    RequestStatus,
    Urgency,
)
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    Request,
)
from liaison.activities.queries import DONOR_ROLES, answered_condition, overlapping
from liaison.core.derived import cached_ids
from liaison.core.filtersets import RecordFilterSet, visible_choices
from liaison.core.querysets import visible
from liaison.geo.models import Country, Subdivision
from liaison.partners.models import Organization, Person

Choices = Callable[[Any], QuerySet[Any]]

# What an organisation's name reads (Organization.__str__): choice lists load only that.
ORGANIZATION_NAME = ("pk", "name_fr", "name_en", "acronym_fr", "acronym_en")


def date_range(label: Any, **kwargs: Any) -> django_filters.DateFromToRangeFilter:
    """A from-to date filter with the browser's date pickers (ISO values)."""
    widget = django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    return django_filters.DateFromToRangeFilter(label=label, widget=widget, **kwargs)


def date_filter(label: Any, **kwargs: Any) -> django_filters.DateFilter:
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return django_filters.DateFilter(label=label, widget=widget, **kwargs)


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def participants(*roles: str) -> Choices:
    """The organisations the user sees in one of `roles` of an activity the user sees."""

    def choices(request: Any) -> QuerySet[Any]:
        user = _user(request)

        def used() -> Any:
            links = visible(ActivityParticipation, user).filter(role__in=roles)
            return links.values_list("organization_id", flat=True).distinct()

        ids = cached_ids(f"participants-{'-'.join(roles)}", user, used)
        return visible(Organization, user).filter(pk__in=ids).only(*ORGANIZATION_NAME)

    return choices


def linked_organizations(model: type[Any], field: str) -> Choices:
    """The organisations the user sees that `field` of a visible `model` record names."""

    def choices(request: Any) -> QuerySet[Any]:
        user = _user(request)

        def used() -> Any:
            return visible(model, user).values_list(field, flat=True).distinct()

        ids = cached_ids(f"linked-{model._meta.label}-{field}", user, used)
        return visible(Organization, user).filter(pk__in=ids).only(*ORGANIZATION_NAME)

    return choices


def by_participation(*roles: str) -> Callable[[QuerySet[Any], str, Any], QuerySet[Any]]:
    def method(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        links = ActivityParticipation.objects.filter(role__in=roles, organization__in=value)
        return queryset.filter(pk__in=links.values("activity_id"))

    return method


def _place_ids(request: Any, field: str) -> Iterable[Any]:
    user = _user(request)

    def used() -> Any:
        return visible(ActivityPlace, user).values_list(field, flat=True).distinct()

    return cached_ids(f"places-{field}", user, used)


def place_countries(request: Any) -> QuerySet[Any]:
    return Country.objects.filter(pk__in=_place_ids(request, "country"))


def place_regions(request: Any) -> QuerySet[Any]:
    return Subdivision.objects.filter(pk__in=_place_ids(request, "subdivision"))


class ActivityFilterSet(RecordFilterSet):
    activity_type = django_filters.MultipleChoiceFilter(
        choices=ActivityType.choices, label=_("Type")
    )
    status = django_filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    donor = django_filters.ModelMultipleChoiceFilter(
        queryset=participants(*DONOR_ROLES),
        method=by_participation(*DONOR_ROLES),
        label=_("Donor"),
    )
    implementing = django_filters.ModelMultipleChoiceFilter(
        queryset=participants(ParticipationRole.IMPLEMENTING),
        method=by_participation(ParticipationRole.IMPLEMENTING),
        label=_("Implementing organisation"),
    )
    beneficiary = django_filters.ModelMultipleChoiceFilter(
        queryset=participants(ParticipationRole.BENEFICIARY),
        method=by_participation(ParticipationRole.BENEFICIARY),
        label=_("Beneficiary"),
    )
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=place_countries, method="filter_country", label=_("Country")
    )
    region = django_filters.ModelMultipleChoiceFilter(
        queryset=place_regions, method="filter_region", label=_("Region")
    )
    planned = date_range(_("Planned between"), method="filter_planned")
    actual = date_range(_("Carried out between"), method="filter_actual")
    agreement = django_filters.ModelMultipleChoiceFilter(
        # Only what an agreement's name reads (Agreement.__str__): hundreds of choices.
        queryset=lambda request: visible_choices(Agreement)(request).only("pk", "title"),
        label=_("Agreement"),
    )
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent programme"))

    class Meta:
        model = Activity
        fields = [
            "q", "activity_type", "status", "donor", "implementing", "beneficiary", "country",
            "region", "planned", "actual", "agreement", "parent", "owner", "marking", "release",
        ]  # fmt: skip

    def filter_country(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        places = ActivityPlace.objects.filter(country__in=value)
        return queryset.filter(pk__in=places.values("activity_id"))

    def filter_region(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        places = ActivityPlace.objects.filter(subdivision__in=value)
        return queryset.filter(pk__in=places.values("activity_id"))

    def filter_planned(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping(queryset, value, "planned_start", "planned_end")

    def filter_actual(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping(queryset, value, "actual_start", "actual_end")


class AgreementFilterSet(RecordFilterSet):
    party = django_filters.ModelMultipleChoiceFilter(
        queryset=linked_organizations(Agreement, "parties"),
        method="filter_party",
        label=_("Party"),
    )
    signed_on = date_range(_("Signed between"))
    in_force_on = date_filter(_("In force on"), method="filter_in_force")

    class Meta:
        model = Agreement
        fields = ["q", "party", "signed_on", "in_force_on", "owner", "marking", "release"]

    def filter_party(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        links = Agreement.parties.through.objects.filter(organization__in=value)
        return queryset.filter(pk__in=links.values("agreement_id"))

    def filter_in_force(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        # In force from its validity start (or, when unknown, its signature) to its end.
        started = Q(valid_from__lte=value) | Q(valid_from__isnull=True, signed_on__lte=value)
        return queryset.filter(started, Q(valid_until__isnull=True) | Q(valid_until__gte=value))


class RequestFilterSet(RecordFilterSet):
    urgency = django_filters.MultipleChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    requester = django_filters.ModelMultipleChoiceFilter(
        queryset=linked_organizations(Request, "requester"), label=_("Requesting organisation")
    )
    received_on = date_range(_("Received between"))
    answered = django_filters.BooleanFilter(
        method="filter_answered",
        label=_("Answered"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Request
        fields = [
            "q", "urgency", "status", "requester", "received_on", "answered", "owner", "marking",
            "release",
        ]  # fmt: skip

    def filter_answered(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        condition = answered_condition(_user(self.request))
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AssignmentFilterSet(RecordFilterSet):
    person = django_filters.ModelMultipleChoiceFilter(
        # Only what a person's name reads (Person.__str__): thousands of choices.
        queryset=lambda request: (
            visible(Person, _user(request))
            .filter(pk__in=visible(Assignment, _user(request)).values("person"))
            .only("pk", "rank", "full_name")
        ),
        label=_("Person"),
    )
    organization = django_filters.ModelMultipleChoiceFilter(
        queryset=linked_organizations(Assignment, "organization"), label=_("Host organisation")
    )
    sending_organization = django_filters.ModelMultipleChoiceFilter(
        queryset=linked_organizations(Assignment, "sending_organization"),
        label=_("Sending organisation"),
    )
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("Activity"))
    dates = date_range(_("Posted between"), method="filter_dates")
    ending_before = date_filter(_("Ending before"), field_name="end_date", lookup_expr="lt")

    class Meta:
        model = Assignment
        fields = [
            "q", "person", "organization", "sending_organization", "activity", "dates",
            "ending_before", "owner", "marking", "release",
        ]  # fmt: skip

    def filter_dates(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping(queryset, value, "start_date", "end_date")
