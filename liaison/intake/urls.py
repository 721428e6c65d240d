from django.urls import path

from liaison.intake import views

app_name = "intake"
urlpatterns = [
    path("intake/", views.IntakeDocumentListView.as_view(), name="intakedocument_list"),
    path("intake/add/", views.upload, name="intakedocument_add"),
    path("intake/<int:pk>/", views.IntakeDocumentDetailView.as_view(), name="intakedocument"),
    path(
        "intake/<int:pk>/delete/",
        views.IntakeDocumentDeleteView.as_view(),
        name="intakedocument_delete",
    ),
    path("intake/<int:pk>/progress/", views.progress, name="progress"),
    path("intake/<int:pk>/bulk/", views.bulk, name="bulk"),
    path("intake/proposals/<int:pk>/links/<int:index>/", views.edit_link, name="link_edit"),
    path("intake/proposals/<int:pk>/edit/", views.edit, name="proposal_edit"),
    path("intake/proposals/<int:pk>/<str:action>/", views.decide, name="proposal_decide"),
]
