from django.contrib import admin

from liaison.geo.models import Country, Subdivision


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("alpha2", "alpha3", "name_fr", "name_en")
    search_fields = ("alpha2", "alpha3", "name_fr", "name_en")


@admin.register(Subdivision)
class SubdivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_fr", "category", "country")
    list_filter = ("category",)
    search_fields = ("code", "name", "name_fr", "country__name_fr", "country__name_en")
    autocomplete_fields = ("country", "parent")
