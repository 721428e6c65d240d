from liaison.activities import views
from liaison.activities.models import Activity, Agreement, Assignment, Request
from liaison.core.urls_helpers import record_urls

app_name = "activities"
urlpatterns = [
    *record_urls(
        "activities",
        Activity,
        list_view=views.ActivityListView,
        detail_view=views.ActivityDetailView,
        edit_view=views.ActivityEditView,
        delete_view=views.ActivityDeleteView,
    ),
    *record_urls(
        "agreements",
        Agreement,
        list_view=views.AgreementListView,
        detail_view=views.AgreementDetailView,
        edit_view=views.AgreementEditView,
        delete_view=views.AgreementDeleteView,
    ),
    *record_urls(
        "requests",
        Request,
        list_view=views.RequestListView,
        detail_view=views.RequestDetailView,
        edit_view=views.RequestEditView,
        delete_view=views.RequestDeleteView,
    ),
    *record_urls(
        "assignments",
        Assignment,
        list_view=views.AssignmentListView,
        detail_view=views.AssignmentDetailView,
        edit_view=views.AssignmentEditView,
        delete_view=views.AssignmentDeleteView,
    ),
]
