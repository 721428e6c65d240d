from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.api.views import ReferenceViewSet
from liaison.geo.api import serializers
from liaison.geo.models import Country, Subdivision


def _search(fields: tuple[str, ...]) -> Any:
    def method(queryset: models.QuerySet[Any], name: str, value: str) -> models.QuerySet[Any]:
        for word in value.split():
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    return method


class CountryFilterSet(django_filters.FilterSet):
    """Reference data has no list page: these filters are the API's own."""

    q = django_filters.CharFilter(
        method=_search(("alpha2", "alpha3", "name_en", "name_fr")), label=_("Search")
    )

    class Meta:
        model = Country
        fields = ["q"]


class SubdivisionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method=_search(("code", "name", "name_fr")), label=_("Search"))
    country = django_filters.CharFilter(
        field_name="country__alpha2", lookup_expr="iexact", label=_("Country (ISO alpha-2)")
    )

    class Meta:
        model = Subdivision
        fields = ["q", "country"]


class CountryViewSet(ReferenceViewSet):
    """Countries (ISO 3166-1), read-only."""

    model = Country
    serializer_class = serializers.CountrySerializer
    filterset_class = CountryFilterSet
    ordering = ("alpha2",)
    ordering_fields = ("id", "alpha2", "alpha3", "name_en", "name_fr")


class SubdivisionViewSet(ReferenceViewSet):
    """Regions, districts and provinces (ISO 3166-2), read-only."""

    model = Subdivision
    serializer_class = serializers.SubdivisionSerializer
    filterset_class = SubdivisionFilterSet
    ordering = ("code",)
    ordering_fields = ("id", "code", "name")
