from liaison.core.urls_helpers import record_urls
from liaison.training import views
from liaison.training.models import Course, School, Session

app_name = "training"
urlpatterns = [
    *record_urls(
        "schools",
        School,
        list_view=views.SchoolListView,
        detail_view=views.SchoolDetailView,
        edit_view=views.SchoolEditView,
        delete_view=views.SchoolDeleteView,
    ),
    *record_urls(
        "courses",
        Course,
        list_view=views.CourseListView,
        detail_view=views.CourseDetailView,
        edit_view=views.CourseEditView,
        delete_view=views.CourseDeleteView,
    ),
    *record_urls(
        "sessions",
        Session,
        list_view=views.SessionListView,
        detail_view=views.SessionDetailView,
        edit_view=views.SessionEditView,
        delete_view=views.SessionDeleteView,
    ),
]
