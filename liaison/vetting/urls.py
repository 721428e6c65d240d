from django.urls import path

from liaison.core.urls_helpers import record_urls
from liaison.vetting import views
from liaison.vetting.models import VettingRequest
from liaison.vetting.screening import views as screening_views

app_name = "vetting"
urlpatterns = [
    *record_urls("vetting", VettingRequest, views),
    path("vetting/screening/hits/", screening_views.hit_list, name="screeninghit_list"),
    path(
        "vetting/screening/hits/<int:pk>/adjudicate/",
        screening_views.hit_adjudicate,
        name="screeninghit_adjudicate",
    ),
]
