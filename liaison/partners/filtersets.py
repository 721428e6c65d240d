import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.core.filtersets import RecordFilterSet
from liaison.geo.models import Country
from liaison.partners.choices import Gender, OrganizationKind
from liaison.partners.models import Organization, Person, Position


class OrganizationFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.all(), label=_("Country")
    )
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent organisation"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "country", "parent", "owner", "marking", "release"]


class PersonFilterSet(RecordFilterSet):
    nationality = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.all(), label=_("Nationality")
    )
    gender = django_filters.MultipleChoiceFilter(choices=Gender.choices, label=_("Gender"))
    rank = django_filters.CharFilter(lookup_expr="icontains", label=_("Rank"))
    organization = django_filters.NumberFilter(
        field_name="positions__organization_id", label=_("Organisation"), distinct=True
    )

    class Meta:
        model = Person
        fields = [
            "q",
            "nationality",
            "gender",
            "rank",
            "organization",
            "owner",
            "marking",
            "release",
        ]


class PositionFilterSet(RecordFilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label=_("Person"))
    organization = django_filters.NumberFilter(
        field_name="organization_id", label=_("Organisation")
    )
    is_current = django_filters.BooleanFilter(label=_("Current"))
    start_date = django_filters.DateFromToRangeFilter(label=_("Start date"))

    class Meta:
        model = Position
        fields = ["q", "person", "organization", "is_current", "start_date", "owner", "release"]
