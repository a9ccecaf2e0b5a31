"""Property-based tests generated from the OpenAPI schema: no input makes the server
fail (5xx), and every response matches the schema it declares.

Every operation of the schema gets generated cases (a few hundred in all), sent as
an administrator so that the write paths run too.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from jumelage.app import create_app
from tests.builders import bearer, token_for

EXAMPLES_PER_OPERATION = 8
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_no_generated_input_breaks_the_api_or_its_schema(registry):
    headers = bearer(token_for(registry.engine, "fuzzer", "admin", []))
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(registry))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 50
    cases = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            nonlocal cases
            cases += 1
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        run()
    print("schemathesis cases:", cases)
    assert cases >= 300, cases
