from django.urls import path

from liaison.core.urls_helpers import record_urls
from liaison.events import ical, views
from liaison.events.models import ContextEvent, Event

app_name = "events"
urlpatterns = [
    *record_urls("events", Event, views),
    *record_urls("context", ContextEvent, views),
    path("calendar/feed/<slug:workspace>/<str:key>.ics", ical.feed, name="calendar_feed"),
]
