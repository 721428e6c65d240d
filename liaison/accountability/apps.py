from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "liaison.accountability"
    label = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.accountability import sections
        from liaison.accountability.api import views as api
        from liaison.core.registry import (
            NavItem,
            register_api_endpoint,
            register_detail_section,
            register_name_links,
            register_nav,
        )

        register_name_links("accountability.implication", ("person", "organization"))
        register_api_endpoint("incidents", api.IncidentViewSet, "incident")
        register_api_endpoint("implications", api.ImplicationViewSet, "implication")
        register_api_endpoint("accountability", api.WhereNowViewSet, "accountability")
        register_nav(NavItem("more", 65, model="accountability.Incident"))
        register_nav(
            NavItem("more", 66, url_name="accountability:where_now", label=_("where are they now"))
        )
        register_detail_section("partners.Organization", sections.organization_incidents)
        register_detail_section("partners.Organization", sections.chain_of_command)
        register_detail_section("partners.Person", sections.person_incidents)
        register_detail_section("vetting.VettingRequest", sections.subject_incidents)
