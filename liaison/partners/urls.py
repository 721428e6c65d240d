from django.urls import path

from liaison.core.urls_helpers import record_urls
from liaison.partners import views
from liaison.partners.models import Organization, Person, Position

app_name = "partners"
urlpatterns = [
    path("organizations/tree/", views.OrganizationTreeView.as_view(), name="organization_tree"),
    *record_urls("organizations", Organization, views),
    *record_urls("persons", Person, views),
    *record_urls("positions", Position, views),
]
