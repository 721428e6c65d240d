from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "liaison.training"
    label = "training"
    verbose_name = _("Schools and courses")

    def ready(self) -> None:
        # What this app contributes to the whole (core.registry; CONTRIBUTING.md).
        from liaison.core.registry import (
            NavItem,
            register_api_endpoint,
            register_detail_section,
            register_name_links,
            register_nav,
        )
        from liaison.training import sections
        from liaison.training.api import views as api

        register_name_links("training.school", ("organization",))
        register_name_links("training.session", ("course",))
        register_name_links("training.enrollment", ("person", "session"))
        register_api_endpoint("schools", api.SchoolViewSet, "school")
        register_api_endpoint("courses", api.CourseViewSet, "course")
        register_api_endpoint("sessions", api.SessionViewSet, "session")
        register_api_endpoint("enrollments", api.EnrollmentViewSet, "enrollment")
        register_nav(NavItem("main", 50, model="training.Session"))
        register_nav(NavItem("more", 40, model="training.School"))
        register_nav(NavItem("more", 50, model="training.Course"))
        register_detail_section("partners.Person", sections.person_trainings)
