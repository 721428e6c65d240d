from liaison.core.urls_helpers import record_urls
from liaison.events import views
from liaison.events.models import ContextEvent, Event

app_name = "events"
urlpatterns = [
    *record_urls(
        "events",
        Event,
        list_view=views.EventListView,
        detail_view=views.EventDetailView,
        edit_view=views.EventEditView,
        delete_view=views.EventDeleteView,
    ),
    *record_urls(
        "context",
        ContextEvent,
        list_view=views.ContextEventListView,
        detail_view=views.ContextEventDetailView,
        edit_view=views.ContextEventEditView,
        delete_view=views.ContextEventDeleteView,
    ),
]
