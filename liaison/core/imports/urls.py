from django.urls import path

from liaison.core.imports import views

urlpatterns = [
    path("imports/", views.import_index, name="imports"),
    path("imports/<slug:slug>/", views.import_upload, name="import_upload"),
    path(
        "imports/<slug:slug>/template.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("imports/<slug:slug>/<str:token>/", views.import_preview, name="import_preview"),
]
