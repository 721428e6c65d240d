from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "liaison.geo"
    label = "geo"
    verbose_name = _("Countries and regions")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.registry import register_api_endpoint
        from liaison.geo.api import views as api

        register_api_endpoint("countries", api.CountryViewSet, "country")
        register_api_endpoint("subdivisions", api.SubdivisionViewSet, "subdivision")
