from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from liaison.core import changes, list_settings, views_account
from liaison.core import views as core_views
from liaison.reports import views as report_views

urlpatterns = [
    path("", report_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", views_account.set_language, name="set_language"),
    path("saved-filters/", views_account.save_filter, name="save_filter"),
    path("list-settings/", list_settings.save_list_settings, name="list_settings"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views_account.two_factor, name="two_factor"),
    path("accounts/profile/", views_account.profile, name="profile"),
    path("workspace/", views_account.switch_workspace, name="switch_workspace"),
    path("search/", core_views.search, name="search"),
    path("changes/", changes.change_log, name="changes"),
    path("tasks/<int:pk>/", core_views.task_run, name="task_run"),
    path(
        "autocomplete/<str:app_label>/<str:model_name>/",
        core_views.autocomplete,
        name="autocomplete",
    ),
    path("", include("liaison.core.urls")),
    path("", include("liaison.partners.urls")),
    path("", include("liaison.activities.urls")),
    path("", include("liaison.training.urls")),
    path("", include("liaison.events.urls")),
    path("", include("liaison.vetting.urls")),
    path("", include("liaison.reports.urls")),
    path("", include("liaison.intake.urls")),
    path("", include("liaison.accountability.urls")),
    path("api/", include("liaison.api_urls")),
    path("admin/", admin.site.urls),
]
