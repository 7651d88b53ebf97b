"""When the database is unreachable, requests fail cleanly with a 503 page."""

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_database_outage_gives_a_503_page(client, monkeypatch):
    from civic import selectors

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "place_tree", broken)
    response = client.get(reverse("civic:home"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Back in a moment" in response.content.decode()
