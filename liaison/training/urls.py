from liaison.core.urls_helpers import record_urls
from liaison.training import views
from liaison.training.models import Course, School, Session

app_name = "training"
urlpatterns = [
    *record_urls("schools", School, views),
    *record_urls("courses", Course, views),
    *record_urls("sessions", Session, views),
]
