from django.urls import include, path

from liaison.core import source_views
from liaison.core.models import Source
from liaison.core.urls_helpers import record_urls

app_name = "core"
urlpatterns = [
    *record_urls("sources", Source, source_views),
    path("", include("liaison.core.imports.urls")),
]
