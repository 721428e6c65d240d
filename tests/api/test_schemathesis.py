"""Property-based fuzzing of the whole API (Schemathesis) against a live server.

Every operation of /api/schema/ is called with data generated from the schema, as a
demo user with a workspace, over the demo data. Each answer must not be a server error,
and its status, content type, headers and body must conform to the schema. The number
of examples per operation is small so that the run stays within a few minutes;
LIAISON_FUZZ_EXAMPLES raises it for a deeper run.
"""

from __future__ import annotations

import io
import os
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

from liaison.core.markings import ensure_default_markings
from liaison.core.models import Marking
from liaison.geo.loading import load_countries
from liaison.geo.models import Country, Subdivision

EXAMPLES = int(os.environ.get("LIAISON_FUZZ_EXAMPLES", "10"))


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_its_schema_says(live_server: Any) -> None:
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    # Transactional tests empty every table when they end, the reference data that
    # migrations load included: put it back before the demo needs it.
    if not Country.objects.exists():
        load_countries(Country, Subdivision)
    ensure_default_markings(Marking)
    call_command("demo", stdout=io.StringIO())
    members = get_user_model()._default_manager.filter(memberships__isnull=False)
    user = members.order_by("pk").first()
    assert user is not None, "the demo has no user with a workspace"
    token, _created = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=headers
    )

    failures: list[str] = []
    operations = 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # Valid data must be handled, invalid data refused with a 4xx in the usual shape.
        strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
            GenerationMode.NEGATIVE
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case: Any) -> None:
            response = case.call(headers=headers, timeout=30)
            case.validate_response(response, checks=checks)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # try every operation, report all
            failures.append(f"{operation.label}: {type(error).__name__}: {error}"[:2000])
    elapsed = time.monotonic() - started
    print(f"schemathesis: {operations} operations x {EXAMPLES} examples in {elapsed:.0f}s")
    assert operations > 50
    assert failures == [], "\n\n".join(failures)
