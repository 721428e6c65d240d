from liaison.core import source_views
from liaison.core.models import Source
from liaison.core.urls_helpers import record_urls

app_name = "core"
urlpatterns = [
    *record_urls(
        "sources",
        Source,
        list_view=source_views.SourceListView,
        detail_view=source_views.SourceDetailView,
        edit_view=source_views.SourceEditView,
        delete_view=source_views.SourceDeleteView,
    ),
]
