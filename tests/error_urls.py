"""The project's URLs, plus two that fail on purpose (tests/test_error_pages.py)."""

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path

from liaison.urls import urlpatterns as project_urls


def forbidden(request: HttpRequest) -> NoReturn:
    raise PermissionDenied("the secret reason")


def broken(request: HttpRequest) -> NoReturn:
    raise RuntimeError("the secret traceback")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    *project_urls,
]
