"""The browsable API documentation (Swagger UI), served from Liaison's own static files."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI with its init script inline under the request's CSP nonce."""

    template_name = "api/docs.html"
