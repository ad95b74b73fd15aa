"""Schemathesis against the running service (``service`` fixture): requests generated from the
OpenAPI document, valid and invalid, each checked for no server error and a response, status,
content type and headers that conform to the same document."""

from __future__ import annotations

from typing import Any

import schemathesis
from budget import examples
from conftest import Service
from hypothesis import HealthCheck, settings

from ave_rules.service import openapi_document

schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(max_examples=examples(40, 200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_service_keeps_its_openapi_document(case: schemathesis.Case[Any], service: Service) -> None:
    case.call_and_validate(base_url=service.url)
