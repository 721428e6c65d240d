from django.urls import path

from liaison.reports import views

app_name = "reports"
urlpatterns = [
    path("calendar/", views.calendar_view, name="calendar"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("analysis/", views.analysis_view, {"page": "portfolio"}, name="analysis"),
    path("analysis/training/", views.analysis_view, {"page": "training"}, name="training"),
    path("analysis/advisors/", views.analysis_view, {"page": "advisors"}, name="advisors"),
    path("map/", views.map_view, name="map"),
    path("report/", views.report_view, name="report"),
    path("report/<int:pk>/file/", views.report_file, name="report_file"),
]
