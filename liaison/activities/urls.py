from liaison.activities import views
from liaison.activities.models import Activity, Agreement, Assignment, Request
from liaison.core.urls_helpers import record_urls

app_name = "activities"
urlpatterns = [
    *record_urls("activities", Activity, views),
    *record_urls("agreements", Agreement, views),
    *record_urls("requests", Request, views),
    *record_urls("assignments", Assignment, views),
]
