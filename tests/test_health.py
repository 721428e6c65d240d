import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_database_state(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
