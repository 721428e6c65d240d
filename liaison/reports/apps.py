from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "liaison.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.registry import NavItem, register_nav

        register_nav(NavItem("main", 80, url_name="reports:calendar", label=_("calendar")))
        register_nav(NavItem("more", 90, url_name="reports:timeline", label=_("timeline")))
        register_nav(NavItem("more", 100, url_name="reports:analysis", label=_("analysis")))
        register_nav(NavItem("more", 110, url_name="reports:map", label=_("map")))
