from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VettingConfig(AppConfig):
    name = "liaison.vetting"
    label = "vetting"
    verbose_name = _("Vetting and screening")

    def ready(self) -> None:
        from liaison.vetting.screening import signals

        signals.connect()
