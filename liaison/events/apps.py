from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "liaison.events"
    label = "events"
    verbose_name = _("Events and context")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.registry import (
            CalendarFeed,
            NavItem,
            register_api_endpoint,
            register_calendar_feed,
            register_detail_section,
            register_name_links,
            register_nav,
        )
        from liaison.events import ical, sections
        from liaison.events.api import views as api

        register_name_links("events.participant", ("person", "organization"))
        register_api_endpoint("events", api.EventViewSet, "event")
        register_api_endpoint("participants", api.ParticipantViewSet, "participant")
        register_api_endpoint("context-events", api.ContextEventViewSet, "contextevent")
        register_nav(NavItem("main", 60, model="events.Event"))
        register_nav(NavItem("more", 60, model="events.ContextEvent"))
        register_detail_section("partners.Person", sections.person_participations)
        register_calendar_feed("events", CalendarFeed("events:calendar_feed", ical.regenerate))
