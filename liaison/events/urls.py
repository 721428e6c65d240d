from liaison.core.urls_helpers import record_urls
from liaison.events import views
from liaison.events.models import ContextEvent, Event

app_name = "events"
urlpatterns = [
    *record_urls("events", Event, views),
    *record_urls("context", ContextEvent, views),
]
