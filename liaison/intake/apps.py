from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "liaison.intake"
    label = "intake"
    verbose_name = _("Document intake")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.registry import NavItem, register_nav

        register_nav(NavItem("more", 80, model="intake.IntakeDocument"))
