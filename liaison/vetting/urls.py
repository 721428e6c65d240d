from django.urls import path

from liaison.core.urls_helpers import record_urls
from liaison.vetting import views
from liaison.vetting.models import VettingBatch, VettingRequest
from liaison.vetting.screening import views as screening_views

app_name = "vetting"
urlpatterns = [
    *record_urls("vetting/batches", VettingBatch, views),
    path("vetting/batches/<int:pk>/add/", views.BatchAddView.as_view(), name="batch_add"),
    path("vetting/batches/<int:pk>/status/", views.BatchStatusView.as_view(), name="batch_status"),
    path("vetting/batches/<int:pk>/export/", views.BatchExportView.as_view(), name="batch_export"),
    path("vetting/expiring/", views.ExpiringView.as_view(), name="expiring"),
    path("vetting/<int:pk>/remediate/", views.RemediateView.as_view(), name="remediate"),
    path("vetting/<int:pk>/courtesy/", views.CourtesyCheckView.as_view(), name="courtesy"),
    *record_urls("vetting", VettingRequest, views),
    path("vetting/queue/", views.QueueView.as_view(), name="queue"),
    path("vetting/report/", views.ReportView.as_view(), name="report"),
    path("vetting/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path(
        "vetting/<int:pk>/cancel/", views.CloseView.as_view(), {"action": "cancel"}, name="cancel"
    ),
    path(
        "vetting/<int:pk>/reinstate/",
        views.CloseView.as_view(),
        {"action": "reinstate"},
        name="reinstate",
    ),
    path("vetting/coverage/<str:kind>/<int:pk>/", views.CoverageView.as_view(), name="coverage"),
    path("vetting/batch/<str:kind>/<int:pk>/", views.BatchRequestView.as_view(), name="batch"),
    path("vetting/override/<str:kind>/<int:pk>/", views.OverrideView.as_view(), name="override"),
    path("vetting/screening/hits/", screening_views.hit_list, name="screeninghit_list"),
    path("vetting/screening/lists/", screening_views.list_import, name="screeninglist_import"),
    path(
        "vetting/screening/hits/<int:pk>/adjudicate/",
        screening_views.hit_adjudicate,
        name="screeninghit_adjudicate",
    ),
]
