"""Account views: the two-factor step, the workspace switcher and the profile page."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from liaison.core.middleware import SESSION_WORKSPACE
from liaison.core.models import Membership
from liaison.core.registry import registry
from liaison.core.twofactor import confirmed_device, pending_device, requires_two_factor


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the 6-digit code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; enrol a device first when the user has none."""
    device = confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = pending_device(request.user)
    assert device is not None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, _("Two-factor authentication is now on."))
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not valid. Check your device's clock."))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor.html", context)


@require_POST
@login_required
def switch_workspace(request: HttpRequest) -> HttpResponse:
    try:
        workspace_id = int(request.POST.get("workspace", ""))
    except ValueError:
        raise Http404 from None
    if not any(m.workspace_id == workspace_id for m in getattr(request, "memberships", [])):
        raise Http404
    request.session[SESSION_WORKSPACE] = workspace_id
    return redirect(_safe_next(request))


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered for the user across sessions and devices."""
    from django.views.i18n import set_language as django_set_language

    from liaison.core.models import Preference

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


@require_POST
@login_required
def save_filter(request: HttpRequest) -> HttpResponse:
    """Keep the current list filter under a name (or delete one)."""
    from liaison.core.models import SavedFilter

    owner: Any = request.user
    path = request.POST.get("path", "")
    if not path.startswith("/") or "//" in path:
        raise Http404
    if request.POST.get("delete"):
        SavedFilter.objects.filter(user=owner, pk=request.POST["delete"]).delete()
        return redirect(path)
    name = request.POST.get("name", "").strip()[:100]
    query = request.POST.get("query", "")[:2000]
    if not name:
        messages.error(request, _("Give the filter a name."))
    else:
        SavedFilter.objects.update_or_create(
            user=owner, path=path, name=name, defaults={"query": query}
        )
        messages.success(request, _("Filter saved."))
    return redirect(f"{path}?{query}" if query else path)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's memberships, and their API token: created or replaced (POST), shown once.

    The key is shown only in the answer to the POST that made it: afterwards the page
    says when it was created, never the key itself.
    """
    user: Any = request.user
    verified = getattr(user, "is_verified", None)
    if requires_two_factor(user) and not (callable(verified) and verified()):
        # A token is a credential: only a fully signed-in user may make one.
        return redirect(f"{reverse('two_factor')}?next={reverse('profile')}")
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "calendar":
            # The feeds are the apps' (core.registry, store `calendar_feeds`); they share
            # the user's one key (core.CalendarToken), which each may replace.
            for feed in registry["calendar_feeds"].values():
                feed.regenerate(user)
            messages.success(request, _("Your calendar addresses were made anew."))
            return redirect("profile")
        if request.POST.get("action") == "revoke":
            Token.objects.filter(user=user).delete()
            messages.success(request, _("Your API token was revoked."))
            return redirect("profile")
        with transaction.atomic():
            Token.objects.filter(user=user).delete()
            new_key = Token.objects.create(user=user).key
    context = {
        "memberships": Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("workspace__name"),
        "token": Token.objects.filter(user=user).first(),
        "new_key": new_key,
        "calendar_feeds": _calendar_feeds(request, user),
    }
    response = render(request, "registration/profile.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _calendar_feeds(request: HttpRequest, user: Any) -> list[tuple[str, str]]:
    """(workspace name, secret feed address) for each of the user's workspaces and each
    calendar feed an app registered (core.registry, store `calendar_feeds`)."""
    from liaison.core.models import CalendarToken

    token = CalendarToken.objects.filter(user=user).first()
    if token is None:
        return []
    return [
        (
            m.workspace.name,
            request.build_absolute_uri(reverse(feed.url_name, args=[m.workspace.slug, token.key])),
        )
        for m in Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("workspace__name")
        for feed in registry["calendar_feeds"].values()
    ]
