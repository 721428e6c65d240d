from django.urls import path

from liaison.reports import views

app_name = "reports"
urlpatterns = [
    path("calendar/", views.calendar_view, name="calendar"),
    path("timeline/", views.timeline_view, name="timeline"),
]
