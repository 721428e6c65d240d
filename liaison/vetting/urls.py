from liaison.core.urls_helpers import record_urls
from liaison.vetting import views
from liaison.vetting.models import VettingRequest

app_name = "vetting"
urlpatterns = [
    *record_urls("vetting", VettingRequest, views),
]
