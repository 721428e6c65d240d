from django.urls import path

from liaison.accountability import views
from liaison.accountability.models import Incident
from liaison.core.urls_helpers import record_urls

app_name = "accountability"
urlpatterns = [
    path("accountability/", views.where_now, name="where_now"),
    *record_urls("incidents", Incident, views),
]
