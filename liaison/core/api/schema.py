"""OpenAPI: every operation documents its error answers, ETag and If-Match."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers


class SessionScheme(SpectacularSessionScheme):
    """Liaison's session authentication (core.api.authentication) is a session cookie."""

    target_class = "liaison.core.api.authentication.SessionAuthentication"


class ErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        required=False, help_text="Position of the item in a bulk request."
    )
    field = serializers.CharField(allow_null=True, help_text="Dotted path, or null.")
    code = serializers.CharField()
    message = serializers.CharField(help_text="In the language asked by Accept-Language.")


# {"errors": [...]}: built inline, since a serializer's own `errors` is taken.
ErrorsSerializer = inline_serializer("Errors", {"errors": ErrorSerializer(many=True)})


WRITE_METHODS = ("PUT", "PATCH", "DELETE")
SINGLE_RECORD_ACTIONS = ("retrieve", "create", "update", "partial_update")


class LiaisonAutoSchema(AutoSchema):
    def _uses_etags(self) -> bool:
        return bool(getattr(self.view, "uses_etags", False))

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if not self._uses_etags():
            return parameters
        action = getattr(self.view, "action", None)
        if self.method in WRITE_METHODS and action in ("update", "partial_update", "destroy"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag read with the record: the write is refused with 412 "
                    "if the record changed since, and with 428 without If-Match. `*` writes "
                    "whatever the record's version.",
                )
            )
        if action in SINGLE_RECORD_ACTIONS:
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="Version tag of the record, to send back in If-Match.",
                    response=[200, 201],
                )
            )
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = dict(super()._get_response_bodies(direction))
        codes = ["400", "401", "403", "404", "429"]
        if self.method in WRITE_METHODS:
            codes += ["409", "412"]
            if self._uses_etags():
                codes.append("428")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorsSerializer, code)
                responses[code]["description"] = ""
        return responses
