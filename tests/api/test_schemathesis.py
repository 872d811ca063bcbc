"""Schemathesis generates requests from the published OpenAPI document and sends them to
the application in-process (WSGI): no input may cause a server error, and every answer
must match the document. Bounded by MAX_EXAMPLES per operation to keep the suite quick."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from dateline.api.api import api

pytestmark = pytest.mark.engine

MAX_EXAMPLES = 60
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# What the document cannot promise about a valid request: that a slug names a section, tag
# or author that exists, that a cursor came from this listing, or that `q` comes without
# the filters it excludes (the descriptions say so). The answer is then a 400 naming the
# parameter; any other valid request must be answered (or found missing, or limited).
NAMES_CONTENT = {"section", "tag", "author", "cursor", "updated_since"}
ACCEPTED = {404, 429}


def assert_accepted(case, response) -> None:
    """A request the document calls valid is one the server takes."""
    status = response.status_code
    if status < 400 or status in ACCEPTED:
        return
    named = {error["parameter"] for error in (response.json().get("errors") or [])}
    assert status == 400 and named and named <= NAMES_CONTENT, (
        f"{case.method} {case.formatted_path} {case.query} {case.body!r}: valid by the "
        f"document but answered {status} {response.text}"
    )


DOCUMENT = api.get_openapi_schema()
OPERATIONS = [
    pytest.param(method.upper(), path, mode, id=f"{method.upper()} {path} {mode.value}")
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    for mode in GenerationMode
    # A request without parameters cannot break the document.
    if mode is GenerationMode.POSITIVE or operation.get("parameters")
]


@pytest.fixture
def wsgi_app(db):
    """The site's WSGI application (with the beacon fast path), inside the test's
    transaction: as in Django's test client, requests must not close the connection."""
    from dateline.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("method, path, mode", OPERATIONS)
def test_the_api_answers_generated_requests_within_its_schema(wsgi_app, method, path, mode):
    """Valid requests (positive) and requests that break the document (negative)."""
    published = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = published[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def answers_within_schema(case):
        # The in-process client does not decode gzip; compression is tested elsewhere.
        response = case.call(headers={"Accept-Encoding": "identity"})
        case.validate_response(response, checks=CHECKS)
        if mode is GenerationMode.POSITIVE:
            assert_accepted(case, response)

    answers_within_schema()


def test_every_operation_is_exercised():
    assert len(OPERATIONS) >= 10
