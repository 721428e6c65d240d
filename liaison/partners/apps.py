from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "liaison.partners"
    label = "partners"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.registry import (
            Exporter,
            NavItem,
            register_api_endpoint,
            register_exporter,
            register_name_links,
            register_nav,
        )
        from liaison.partners import exporters
        from liaison.partners.api import views as api

        register_name_links("partners.position", ("person", "organization"))
        register_api_endpoint("organizations", api.OrganizationViewSet, "organization")
        register_api_endpoint("persons", api.PersonViewSet, "person")
        register_api_endpoint("positions", api.PositionViewSet, "position")
        register_nav(NavItem("main", 30, model="partners.Organization"))
        register_nav(NavItem("main", 40, model="partners.Person"))
        register_nav(NavItem("more", 30, model="partners.Position"))
        register_exporter("ftm", Exporter(exporters.HELP, exporters.export_ftm))
