from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = _("Core: workspaces, markings and sources")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from liaison.core import signals

        signals.connect()
        # SQLite learns the alphabetical order of core.ordering on each connection.
        from django.db.backends.signals import connection_created

        from liaison.core.ordering import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="liaison_collation")
        # Links to records with a release withhold what their reader may not see.
        from django.apps import apps

        from liaison.core.withholding import install

        install(list(apps.get_models()))
        # Each app's search.py registers its searchable models (core.search).
        autodiscover_modules("search")
        # Core's own records, registered like any app's (core.registry); the domain apps
        # register theirs in their own AppConfig.ready(): core imports none of them.
        from liaison.core.api import views as api
        from liaison.core.models import Source
        from liaison.core.registry import NavItem, register_api_endpoint, register_nav
        from liaison.core.search import register

        register(Source, ["title", "publisher", "author", "url"])
        register_api_endpoint("sources", api.SourceViewSet, "source")
        register_api_endpoint("citations", api.CitationViewSet, "citation")
        register_nav(NavItem("more", 70, model="core.Source"))
        register_nav(NavItem("more", 130, url_name="core:imports", label=_("imports")))
        register_nav(NavItem("more", 140, url_name="changes", label=_("change log")))
