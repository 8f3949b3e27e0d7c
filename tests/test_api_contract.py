"""The API against its own OpenAPI schema: schemathesis generates requests and runs every check.

Why in the suite: a field the schema calls non-null that comes back null, or
an error status the schema does not list, breaks a client generated from the
schema; the contract is only true while something keeps checking it.
Bounded: a fixed number of examples per operation keeps the run short.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

EXAMPLES_PER_OPERATION = 10
# Every check runs. One is told what "valid" cannot capture in OpenAPI: an id must name an existing row and
# a date range must not end before it starts, so a request that fits the schema may still get the documented 400.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}}}
)


def load_schema():
    """The schema ``/api/schema/`` serves, built without a request (no database needed at collection)."""
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document, config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def keep_connection():
    """Keep the test's database connection across WSGI requests (as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded", "keep_connection")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_keeps_its_contract(case):
    case.call_and_validate()


def test_schema_tells_which_fields_may_be_null_and_which_errors_come():
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    components = document["components"]["schemas"]

    def nullable(schema_name, field):
        prop = components[schema_name]["properties"][field]
        return prop.get("nullable") or any(
            part.get("nullable") for part in prop.get("allOf", []) + prop.get("oneOf", [])
        )

    assert nullable("Issue", "publication") and nullable("Issue", "publisher")
    assert nullable("Article", "effective_date") and nullable("BriefItem", "effective_date")
    assert nullable("Organisation", "parent")
    for path, operations in document["paths"].items():
        responses = operations["get"]["responses"]
        assert "404" in responses, path
        assert ("400" in responses) == (not path.endswith("}/")), path
    assert "/api/schema/" not in document["paths"]
