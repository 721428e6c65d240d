"""Authentication hardening: argon2, lockout, two-factor enrolment and login."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core.choices import Role
from liaison.core.models import Membership, Workspace

PASSWORD = "correct horse battery staple"


def make_user(username: str, role: str | None = None) -> object:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if role is not None:
        workspace, _ = Workspace.objects.get_or_create(name="Mission", slug="mission")
        Membership.objects.create(user=user, workspace=workspace, role=role)
    return user


def login(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post("/accounts/login/", {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.mark.django_db
@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
def test_passwords_are_hashed_with_argon2() -> None:
    user = make_user("hasher")
    assert identify_hasher(user.password).algorithm == "argon2"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client: Client) -> None:
    make_user("target", Role.EDITOR)
    for _ in range(5):
        response = login(client, "target", "wrong password")
        assert response.status_code in (200, 429)
    locked = login(client, "target")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account is not locked by someone else's failures.
    make_user("colleague", Role.EDITOR)
    assert login(client, "colleague").status_code == 302


@pytest.mark.django_db
def test_session_expires_at_browser_close_and_after_hours(settings: object) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True  # type: ignore[attr-defined]
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600  # type: ignore[attr-defined]


@pytest.mark.django_db
@override_settings(LIAISON_REQUIRE_2FA=True)
def test_manager_must_enrol_then_verify_a_totp_code(client: Client) -> None:
    make_user("manager", Role.MANAGER)
    assert login(client, "manager").status_code == 302

    # Any page sends the manager to the two-factor step first.
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith("/accounts/two-factor/")

    enrol = client.get(home["Location"])
    assert enrol.status_code == 200
    assert enrol.context["enrolling"] is True
    device = TOTPDevice.objects.get(user__username="manager", confirmed=False)

    wrong = client.post("/accounts/two-factor/", {"token": "000000", "next": "/"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert client.get("/").status_code == 302
    # django-otp throttles after a failure (1 s, then doubling); start the clock afresh.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()

    ok = client.post("/accounts/two-factor/", {"token": current_code(device), "next": "/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # Next login: the device is known, a code is asked for, no new enrolment.
    client.post("/accounts/logout/")
    assert login(client, "manager").status_code == 302
    step = client.get("/accounts/two-factor/")
    assert step.context["enrolling"] is False
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # allow the same time step again
    device.refresh_from_db()
    assert client.post("/accounts/two-factor/", {"token": current_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(LIAISON_REQUIRE_2FA=True)
def test_two_factor_is_optional_for_editors(client: Client) -> None:
    make_user("editor", Role.EDITOR)
    login(client, "editor")
    assert client.get("/").status_code == 200
    # ...but an editor may still enrol a device.
    assert client.get("/accounts/two-factor/").status_code == 200


@pytest.mark.django_db
@override_settings(LIAISON_REQUIRE_2FA=True)
def test_unverified_manager_cannot_reach_the_admin(client: Client) -> None:
    user = make_user("boss", Role.ADMINISTRATOR)
    user.is_staff = True  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]
    login(client, "boss")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


@pytest.mark.django_db
def test_security_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
