from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "liaison.activities"
    label = "activities"
    verbose_name = _("Agreements, activities and requests")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.activities import exporters, sections
        from liaison.activities.api import views as api
        from liaison.core.registry import (
            Exporter,
            NavItem,
            register_api_endpoint,
            register_detail_section,
            register_exporter,
            register_name_links,
            register_nav,
        )

        register_name_links("activities.activityparticipation", ("organization",))
        register_name_links("activities.assignment", ("person", "organization"))
        register_api_endpoint("agreements", api.AgreementViewSet, "agreement")
        register_api_endpoint("activities", api.ActivityViewSet, "activity")
        register_api_endpoint("requests", api.RequestViewSet, "request")
        register_api_endpoint("assignments", api.AssignmentViewSet, "assignment")
        register_nav(NavItem("main", 10, model="activities.Activity"))
        register_nav(NavItem("main", 20, model="activities.Request"))
        register_nav(NavItem("more", 10, model="activities.Agreement"))
        register_nav(NavItem("more", 20, model="activities.Assignment"))
        register_exporter(
            "iati", Exporter(exporters.HELP, exporters.export_iati, exporters.add_arguments)
        )
        register_detail_section("partners.Organization", sections.organization_activities)
        register_detail_section("partners.Organization", sections.organization_advisors)
        register_detail_section("partners.Person", sections.person_assignments)
