"""docs/service.md shows real exchanges: each request in it is sent to the running service, and
what comes back must be what the page shows.

On the page, an ``http`` block with a request is followed by one with its response. The status
line and the headers shown must match; a JSON body must match, where ``"…"`` stands for any
value, a list ending in ``"…"`` for more items, and a key ``"…"`` for more keys; any other body
must begin with the text shown before a closing ``…``.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Service

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "service.md"
MORE = "…"
UNCHECKED = {"date", "server", "content-length"}


def _blocks() -> list[str]:
    return re.findall(r"```http\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)


def _exchanges() -> list[tuple[str, str]]:
    blocks = _blocks()
    pairs = []
    for request, response in itertools.pairwise(blocks):
        if not request.startswith("HTTP/") and response.startswith("HTTP/"):
            pairs.append((request, response))
    return pairs


def _parts(message: str) -> tuple[str, dict[str, str], str]:
    head, _, body = message.partition("\n\n")
    first, *lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    return first, headers, body.strip()


def fits(shown: Any, actual: Any) -> bool:
    """``actual`` is what ``shown`` shows, with its ellipses (see the module's docstring)."""
    if shown == MORE:
        return True
    if isinstance(shown, dict) and isinstance(actual, dict):
        keys = set(shown) - {MORE}
        if MORE not in shown and keys != set(actual):
            return False
        return keys <= set(actual) and all(fits(shown[key], actual[key]) for key in keys)
    if isinstance(shown, list) and isinstance(actual, list):
        if shown and shown[-1] == MORE:
            shown = shown[:-1]
            actual = actual[: len(shown)]
        return len(shown) == len(actual) and all(fits(s, a) for s, a in zip(shown, actual, strict=True))
    return type(shown) is type(actual) and shown == actual


def test_the_page_shows_exchanges() -> None:
    assert len(_exchanges()) >= 12
    assert len(_blocks()) == 2 * len(_exchanges()), "each request block is followed by its response"


@pytest.mark.parametrize("request_text, response_text", _exchanges(), ids=lambda text: text.splitlines()[0][:60])
def test_each_exchange_on_the_page_is_what_the_service_does(
    service: Service, request_text: str, response_text: str
) -> None:
    request_line, request_headers, request_body = _parts(request_text)
    method, target, _ = request_line.split(" ")
    host = service.url.removesuffix("/v1")
    response = httpx.request(method, host + target, headers=request_headers, content=request_body.encode() or None)

    status_line, headers, body = _parts(response_text)
    assert status_line == f"HTTP/1.1 {response.status_code} {response.reason_phrase}"
    for name, value in headers.items():
        assert name not in UNCHECKED, f"{name} differs from run to run: leave it out"
        assert response.headers.get(name) == value, name
    if "json" in headers.get("content-type", ""):
        assert fits(json.loads(body), response.json()), response.text[:2000]
    else:
        assert body.endswith(MORE) and response.text.startswith(body.removesuffix(MORE))


@pytest.mark.parametrize(
    "shown, actual, expected",
    [
        ({"a": 1}, {"a": 1}, True),
        ({"a": 1}, {"a": 2}, False),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ({"a": 1, MORE: MORE}, {"a": 1, "b": 2}, True),
        ({"a": MORE}, {"a": [1, 2]}, True),
        ([1, MORE], [1, 2, 3], True),
        ([1, MORE], [2, 1], False),
        ([1], [1, 2], False),
        (True, 1, False),
    ],
)
def test_ellipses_match_only_what_they_stand_for(shown: Any, actual: Any, expected: bool) -> None:
    assert fits(shown, actual) is expected
