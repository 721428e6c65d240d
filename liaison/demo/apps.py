from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo world and the synthetic data of the benchmarks: no models of its own,
    installed for its commands (`liaison demo`, `liaison synth`)."""

    name = "liaison.demo"
    label = "demo"
    verbose_name = _("Demo data")
