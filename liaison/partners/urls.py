from liaison.core.urls_helpers import record_urls
from liaison.partners import views
from liaison.partners.models import Organization, Person, Position

app_name = "partners"
urlpatterns = [
    *record_urls(
        "organizations",
        Organization,
        list_view=views.OrganizationListView,
        detail_view=views.OrganizationDetailView,
        edit_view=views.OrganizationEditView,
        delete_view=views.OrganizationDeleteView,
    ),
    *record_urls(
        "persons",
        Person,
        list_view=views.PersonListView,
        detail_view=views.PersonDetailView,
        edit_view=views.PersonEditView,
        delete_view=views.PersonDeleteView,
    ),
    *record_urls(
        "positions",
        Position,
        list_view=views.PositionListView,
        detail_view=views.PositionDetailView,
        edit_view=views.PositionEditView,
        delete_view=views.PositionDeleteView,
    ),
]
