"""The API's OpenAPI schema is valid, and schemathesis (a property-based API tester
from PyPI) generates requests from it, valid and invalid, against every operation:
no server error, no status code the schema does not name, and every answer (body,
content type, headers) matches what the schema says of it."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode

from config.wsgi import application

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi(client, open_world):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert len(document["paths"]) == 11


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI app as the test client runs it: the end of a request must not close
    the database connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_keeps_to_its_schema(
    open_world, mode, wsgi_in_the_test_transaction
):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", wsgi_in_the_test_transaction
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    calls = []
    for operation in operations:
        takes = list(operation.query) + list(operation.path_parameters)
        if mode is GenerationMode.NEGATIVE and not takes:
            continue  # nothing in the request to get wrong

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            cache.clear()  # the rate limit is tested on its own
            response = case.call_and_validate()  # every check schemathesis has
            calls.append((operation.path, response.status_code))

        try:
            run()
        except Unsatisfiable:
            # Only free-text parameters (a slug): no request breaks the schema.
            assert mode is GenerationMode.NEGATIVE
    paths = {path for path, _status in calls}
    statuses = {status for _path, status in calls}
    if mode is GenerationMode.POSITIVE:
        assert len(paths) == 11 and 200 in statuses
    else:  # wrong types for page, page_size, id, cost and status are refused
        assert {"/api/v1/proposals", "/api/v1/proposals/{id}"} <= paths
        assert 422 in statuses
