from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VettingConfig(AppConfig):
    name = "liaison.vetting"
    label = "vetting"
    verbose_name = _("Vetting and screening")

    def ready(self) -> None:
        from liaison.vetting.screening import signals

        signals.connect()
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.choices import Role
        from liaison.core.registry import (
            NavItem,
            register_api_endpoint,
            register_model_check,
            register_name_links,
            register_nav,
        )
        from liaison.vetting import gate
        from liaison.vetting.api import views as api

        # The gate: who may be enrolled, marked attended or receive a delivery.
        register_model_check("training.enrollment", gate.check_enrollment)
        register_model_check("events.participant", gate.check_participant)
        register_model_check("activities.activity", gate.check_activity)
        register_model_check("activities.activityparticipation", gate.check_participation)

        register_name_links("vetting.vettingrequest", ("subject_person", "subject_organization"))
        register_name_links("vetting.screeninghit", ("person", "organization"))
        register_api_endpoint("vetting-requests", api.VettingRequestViewSet, "vettingrequest")
        register_api_endpoint("clearances", api.ClearanceViewSet, "clearance")
        register_api_endpoint("vetting-batches", api.VettingBatchViewSet, "vettingbatch")
        register_api_endpoint("gate-overrides", api.GateOverrideViewSet, "gateoverride")
        # Short words in the bar: the kinds' full French names took it to three rows.
        register_nav(
            NavItem(
                "main",
                70,
                model="vetting.VettingRequest",
                label=pgettext_lazy("menu", "vetting requests"),
            )
        )
        register_nav(NavItem("more", 120, url_name="vetting:report", label=_("vetting report")))
        # The officers' working pages: the queue, the hits to adjudicate, the batches.
        officers = frozenset({Role.VETTING_OFFICER})
        register_nav(
            NavItem(
                "main",
                71,
                url_name="vetting:queue",
                label=pgettext_lazy("menu", "vetting queue"),
                roles=officers,
            )
        )
        register_nav(
            NavItem(
                "main",
                72,
                url_name="vetting:screeninghit_list",
                label=pgettext_lazy("menu", "screening hits"),
                roles=officers,
            )
        )
        register_nav(NavItem("more", 121, model="vetting.VettingBatch", roles=officers))
        register_nav(
            NavItem(
                "more",
                122,
                url_name="vetting:expiring",
                label=_("clearances expiring"),
                roles=officers,
            )
        )
