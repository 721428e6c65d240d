"""Test settings: production settings with the few changes a test run needs."""

from liaison.settings import *  # noqa: F403
from liaison.settings import PASSWORD_HASHERS, REST_FRAMEWORK

# Tests talk plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Argon2 is deliberately slow; tests that check hashing ask for it by name.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Most tests log in with force_login; the two-factor tests switch this back on.
LIAISON_REQUIRE_2FA = False
# The API's rate limits, far above what a test run sends (the rate-limit test lowers them).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"burst": "100000/min", "sustained": "1000000/hour"},
}
# Each test starts from an empty database whose ids and audit chain repeat from test to
# test: the dashboard's cache would serve one test's figures to the next (the tests of the
# cache switch it on).
LIAISON_CACHE_SECONDS = 0
# Background jobs run at once, in the test's thread, so that tests are deterministic
# (the browser tests that measure a detached job switch it back on).
LIAISON_TASKS_DETACH = False
