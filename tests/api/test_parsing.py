"""Bodies the API cannot read answer 400 in the usual error shape, never a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from liaison.activities.models import Activity
from liaison.core.api.parsers import MAX_DEPTH
from tests import factories as f
from tests.api.conftest import Missions, token_client

pytestmark = pytest.mark.django_db

BULK = "/api/activities/bulk/"


def _refused(response: Any, code: str) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert set(error) == {"field", "code", "message"}
    assert (error["field"], error["code"]) == (None, code), error
    return error


def _post(client: Any, url: str, body: bytes, content_type: str = "application/json") -> Any:
    return client.generic("POST", url, body, content_type=content_type)


def test_json_nested_5000_deep_answers_400_not_500(missions: Missions) -> None:
    client = token_client(missions.editor)
    deep = b"[" * 5000 + b"]" * 5000
    _refused(_post(client, BULK, deep), "too_deep")
    deep_objects = b'{"a":' * 5000 + b"1" + b"}" * 5000
    _refused(_post(client, BULK, deep_objects), "too_deep")
    # Unclosed, or in a record's own endpoint: the same.
    _refused(_post(client, BULK, b"[" * 100_000), "too_deep")
    _refused(_post(client, reverse("api:activity-list"), deep), "too_deep")
    assert not Activity.objects.exists()


def test_brackets_inside_strings_do_not_count_and_legitimate_depth_passes(
    missions: Missions,
) -> None:
    client = token_client(missions.editor)
    title = '[{"\\"' * 100  # brackets and escaped quotes inside a string are text
    response = _post(client, BULK, json.dumps([{"title": title}]).encode())
    assert response.status_code == 200, response.content
    assert Activity.objects.get().title == title
    # The object is one level; the list inside it takes the rest.
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    response = _post(
        client,
        reverse("api:organization-list"),
        b'{"name_fr": "x", "aliases": %s}' % nested.encode(),
    )
    assert response.status_code == 400  # refused by the serializer, not by the parser
    assert response.json()["errors"][0]["code"] != "too_deep"
    too_deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    response = _post(
        client,
        reverse("api:organization-list"),
        b'{"name_fr": "x", "aliases": %s}' % too_deep.encode(),
    )
    _refused(response, "too_deep")


def test_invalid_utf8_and_invalid_json_answer_400(missions: Missions) -> None:
    client = token_client(missions.editor)
    _refused(_post(client, BULK, b'[{"title": "\xff\xfe caf\xe9"}]'), "invalid_encoding")
    _refused(_post(client, BULK, b'[{"title": "x"'), "parse_error")
    _refused(_post(client, BULK, b'[{"title": NaN}]'), "parse_error")
    _refused(_post(client, BULK, b'[{"n": 1' + b"0" * 5000 + b"}]"), "parse_error")
    _refused(_post(client, BULK, b"{}"), "not_a_list")  # read, then refused
    assert not Activity.objects.exists()
    # A body in the charset it declares is read.
    latin = '[{"title": "café"}]'.encode("latin-1")
    response = _post(client, BULK, latin, "application/json; charset=iso-8859-1")
    assert response.status_code == 200, response.content
    assert Activity.objects.get().title == "café"


def test_a_body_too_large_answers_400(missions: Missions, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = token_client(missions.editor)
    body = b'[{"title": "' + b"x" * 2000 + b'"}]'
    _refused(_post(client, BULK, body), "too_large")
    assert not Activity.objects.exists()


def test_a_content_type_the_api_does_not_read_answers_400(missions: Missions) -> None:
    client = token_client(missions.editor)
    for content_type in ("text/plain", "application/xml", "image/png"):
        error = _refused(_post(client, BULK, b"<x/>", content_type), "unsupported_media_type")
        assert "application/json" in error["message"]
    activity = f.activity(owner=missions.a)
    url = reverse("api:activity-detail", args=[activity.pk])
    etag = client.get(url)["ETag"]
    response = client.generic(
        "PATCH", url, b"title=x", content_type="text/plain", HTTP_IF_MATCH=etag
    )
    _refused(response, "unsupported_media_type")


def test_the_messages_follow_accept_language(missions: Missions) -> None:
    english = _refused(_post(token_client(missions.editor), BULK, b"[" * 5000), "too_deep")
    french = _refused(
        _post(token_client(missions.editor, language="fr"), BULK, b"[" * 5000), "too_deep"
    )
    assert english["message"] != french["message"]
    assert "imbriqu" in french["message"]
    error = _refused(
        _post(token_client(missions.editor, language="fr"), BULK, b"<x/>", "text/plain"),
        "unsupported_media_type",
    )
    assert "application/json" in error["message"]
