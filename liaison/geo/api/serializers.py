from __future__ import annotations

from rest_framework import serializers

from liaison.geo.models import Country, Subdivision


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "alpha2", "alpha3", "numeric", "name_en", "name_fr"]
        read_only_fields = fields


class SubdivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subdivision
        fields = ["id", "code", "country", "parent", "name", "name_fr", "category"]
        read_only_fields = fields
