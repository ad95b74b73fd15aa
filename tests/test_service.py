"""The decision service, as a client in another language meets it: a real server on a loopback
port (``ave-rules serve``, started by the ``service`` fixture in conftest.py) and a real HTTP client."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from conftest import Service, running_service
from starlette.types import Message, Receive, Scope, Send
from tools import npm_tool

import ave_rules
from ave_rules.kaart import decision_schema, regiekaart_schema, scenario_file_schema
from ave_rules.service import API_VERSION, openapi_document
from ave_rules.service._recycle import CloseWhileDraining, Recycler, _marker, _take_turn

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
MARKER = "bsn123456782"
PROBLEM = "application/problem+json"


def problem_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem+json body of an error response, checked for what RFC 9457 and the ADR ask."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["code"]
    assert body["type"] == f"urn:ave-rules:probleem:{body['code']}"
    return body


def test_the_kaarten_and_their_versions(service: Service) -> None:
    response = httpx.get(f"{service.url}/regiekaarten")
    assert response.status_code == 200 and response.headers["api-version"] == API_VERSION
    listed = {kaart["id"]: kaart for kaart in response.json()}
    assert set(listed) == {kaart.id for kaart in ave_rules.load_versions(ROOT / "regiekaarten")}
    groningen = [version["versie"] for version in listed["groningen"]["versies"]]
    assert groningen == ["2017.1", "2021.1"]


@pytest.mark.parametrize(
    "facts",
    [{}, {"hulpvraag": True}, {"kolommen": ["zorg", "veiligheid"], "veiligheidsrisico": "structureel"}],
)
def test_a_decision_is_the_librarys_byte_for_byte(service: Service, facts: dict[str, Any]) -> None:
    response = httpx.post(f"{service.url}/regiekaarten/ave-generiek/besluiten", json={"feiten": facts})
    assert response.status_code == 200 and response.headers["api-version"] == API_VERSION
    assert response.content == GENERIC.evaluate(facts).model_dump_json().encode()
    jsonschema.validate(response.json(), decision_schema())


def test_the_day_chooses_the_version(service: Service) -> None:
    old = httpx.post(
        f"{service.url}/regiekaarten/groningen/besluiten", json={"feiten": {}, "peildatum": "2017-06-01"}
    ).json()
    new = httpx.post(f"{service.url}/regiekaarten/groningen/besluiten", json={"feiten": {}}).json()
    assert (old["kaart"]["version"], new["kaart"]["version"]) == ("2017.1", "2021.1")
    before = httpx.get(f"{service.url}/regiekaarten/groningen", params={"peildatum": "2016-01-01"})
    assert problem_of(before, 404)["code"] == "kaart-niet-geldig"


def test_one_kaart_as_its_schema_describes_it_and_as_a_page(service: Service) -> None:
    response = httpx.get(f"{service.url}/regiekaarten/fryslan")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body["regiekaart"], regiekaart_schema())
    assert body["regiekaart"]["id"] == "fryslan" and len(body["content_hash"]) == 64
    page = httpx.get(f"{service.url}/regiekaarten/fryslan/pagina")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Fryslân" in page.text and page.headers["api-version"] == API_VERSION


@pytest.mark.parametrize(
    ("name", "schema"),
    [("regiekaart", regiekaart_schema), ("scenarios", scenario_file_schema), ("besluit", decision_schema)],
)
def test_the_schemas_are_the_published_ones(service: Service, name: str, schema: Any) -> None:
    assert httpx.get(f"{service.url}/schemas/{name}").json() == schema()


def test_checking_a_kaart_gives_the_problems_validate_gives(service: Service) -> None:
    good = httpx.post(f"{service.url}/controles", json={"tekst": (ROOT / "regiekaarten" / "fryslan.yaml").read_text()})
    assert good.status_code == 200 and good.json()["geldig"] is True and good.json()["id"] == "fryslan"
    broken = (ROOT / "tests" / "fixtures" / "ongeldig").glob("*.yaml")
    for path in sorted(broken)[:5]:
        response = httpx.post(
            f"{service.url}/controles", json={"tekst": path.read_text(errors="replace"), "naam": path.name}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["geldig"] is False and body["problemen"]
        assert all(problem["file"] == path.name and problem["line"] >= 1 for problem in body["problemen"])
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    refused = httpx.post(f"{service.url}/controles", json={"tekst": bomb}).json()
    assert [problem["code"] for problem in refused["problemen"]] == ["anker-alias"]


def test_the_health_says_what_is_loaded_and_what_decides(service: Service) -> None:
    health = httpx.get(f"{service.url}/gezondheid").json()
    assert health["status"] == "ok" and health["niet_geladen"] == []
    engines = {version["engine"] for kaart in health["kaarten"] for version in kaart["versies"]}
    assert engines <= {"durable-rules", "reference"} and engines


@pytest.mark.parametrize(
    ("request_", "status", "code", "where"),
    [
        (("GET", "/regiekaarten/onbekend", None), 404, "kaart-onbekend", None),
        (("GET", "/regiekaarten/Ongeldig!", None), 400, "dienst-verzoek", ("/path/id", "dienst-verzoek-patroon")),
        (("GET", "/regiekaarten/" + "a" * 101, None), 400, "dienst-verzoek", ("/path/id", "dienst-verzoek-te-lang")),
        (
            ("GET", "/regiekaarten/fryslan", {"peildatum": "gisteren"}),
            400,
            "dienst-verzoek",
            ("/query/peildatum", "dienst-verzoek-datum"),
        ),
        (
            ("POST", "/regiekaarten/ave-generiek/besluiten", {"feitn": {}}),
            400,
            "dienst-verzoek",
            ("/body/feiten", "dienst-verzoek-ontbreekt"),
        ),
        (
            ("POST", "/regiekaarten/ave-generiek/besluiten", {"feiten": []}),
            400,
            "dienst-verzoek",
            ("/body/feiten", "dienst-verzoek-object"),
        ),
        (
            ("POST", "/regiekaarten/ave-generiek/besluiten", {"feiten": {"hulpvraag": "ja"}}),
            400,
            "dienst-feiten",
            ("/feiten/hulpvraag", None),
        ),
        (("POST", "/regiekaarten/onbekend/besluiten", {"feiten": {}}), 404, "kaart-onbekend", None),
        (("POST", "/controles", {"tekst": 3}), 400, "dienst-verzoek", ("/body/tekst", "dienst-verzoek-tekst")),
        (("GET", "/schemas/onbekend", None), 400, "dienst-verzoek", ("/path/naam", "dienst-verzoek-keuze")),
        (("GET", "/bestaat-niet", None), 404, "dienst-niet-gevonden", None),
        (("GET", "/regiekaarten/a%0Ab", None), 404, "dienst-niet-gevonden", None),
        (("DELETE", "/regiekaarten", None), 405, "dienst-methode", None),
    ],
)
def test_every_error_is_problem_json_located_and_never_a_server_error(
    service: Service, request_: tuple[str, str, Any], status: int, code: str, where: tuple[str, str | None] | None
) -> None:
    method, path, payload = request_
    if method == "GET":
        response = httpx.get(f"{service.url}{path}", params=payload)
    else:
        response = httpx.request(method, f"{service.url}{path}", json=payload)
    body = problem_of(response, status)
    assert body["code"] == code
    if status == 405:
        assert response.headers["allow"] == "GET"
    if where is not None:
        located = [(problem["path"], problem["code"]) for problem in body["problemen"]]
        assert located[0][0] == where[0] and where[1] in (None, located[0][1]), located


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{", "dienst-verzoek"),
        (b"\xff\xfe", "dienst-verzoek"),
        (b"[1, 2]", "dienst-verzoek"),
        (b"null", "dienst-verzoek"),
        (b"", "dienst-verzoek"),
        (b'{"feiten": ' * 2000 + b"{}" + b"}" * 2000, "dienst-verzoek"),
        (b'{"feiten": {"fase": 1e999}}', "dienst-feiten"),
        (b'{"feiten": {"fase": NaN}}', "dienst-feiten"),
    ],
)
def test_a_body_the_service_cannot_use_is_a_400(service: Service, body: bytes, code: str) -> None:
    response = httpx.post(
        f"{service.url}/regiekaarten/ave-generiek/besluiten", content=body, headers={"content-type": "application/json"}
    )
    assert problem_of(response, 400)["code"] == code


def test_a_body_too_large_is_refused_before_it_is_read(service: Service) -> None:
    body = b'{"tekst": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    assert problem_of(httpx.post(f"{service.url}/controles", content=body), 413)["code"] == "dienst-te-groot"

    def chunks() -> Any:  # no content-length: counted as it streams
        yield b'{"tekst": "'
        for _ in range(48):
            yield b"x" * 65536
        yield b'"}'

    streamed = httpx.post(f"{service.url}/controles", content=chunks(), headers={"content-type": "application/json"})
    assert problem_of(streamed, 413)["code"] == "dienst-te-groot"


def test_messages_follow_accept_language(service: Service) -> None:
    url = f"{service.url}/regiekaarten/onbekend"
    assert "niet gevonden" in httpx.get(url).json()["detail"]
    assert "not found" in httpx.get(url, headers={"accept-language": "en-GB,en;q=0.9"}).json()["detail"]
    assert "niet gevonden" in httpx.get(url, headers={"accept-language": "nl, en;q=0.5"}).json()["detail"]
    facts = {"feiten": {"hulpvraag": "ja"}}
    english = httpx.post(
        f"{service.url}/regiekaarten/ave-generiek/besluiten", json=facts, headers={"accept-language": "en"}
    )
    assert "expected" in english.json()["problemen"][0]["message"]


def test_no_value_or_body_of_a_request_reaches_a_response_or_the_log(service: Service) -> None:
    requests = [
        ("POST", "/regiekaarten/ave-generiek/besluiten", {"feiten": {"hulpvraag": MARKER}}),
        ("POST", "/regiekaarten/ave-generiek/besluiten", {"feiten": {MARKER: True}}),
        ("POST", "/regiekaarten/ave-generiek/besluiten", {"feiten": {"kolommen": [MARKER]}, MARKER: 1}),
        ("POST", "/regiekaarten/ave-generiek/besluiten", {"feiten": {}, "peildatum": MARKER}),
    ]
    for method, path, payload in requests:
        response = httpx.request(method, f"{service.url}{path}", json=payload)
        assert response.status_code == 400 and MARKER not in response.text, response.text
    # A kaart sent to be checked is the author's text, not a case: its problems name its keys.
    httpx.post(f"{service.url}/controles", json={"tekst": f"{MARKER}: x\n"})
    httpx.get(f"{service.url}/regiekaarten/ave-generiek", params={"geheim": MARKER})
    time.sleep(0.5)
    log = service.log.read_text(errors="replace")
    assert "POST /v1/regiekaarten/ave-generiek/besluiten 400" in log  # the log is written
    assert MARKER not in log


def test_a_changed_kaart_is_served_without_a_restart_and_a_broken_one_keeps_its_last_version(service: Service) -> None:
    path = service.directory / "fryslan.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(
            original.replace("naam: Regiekaart Fryslân", "naam: Regiekaart Fryslân, herzien", 1), encoding="utf-8"
        )
        assert "herzien" in _eventually(
            lambda: httpx.get(f"{service.url}/regiekaarten/fryslan").json()["regiekaart"]["naam"]
        )
        path.write_text(original + "\nonbekende_sleutel: 1\n", encoding="utf-8")
        health = _eventually(lambda: httpx.get(f"{service.url}/gezondheid").json(), until=lambda h: h["niet_geladen"])
        assert health["status"] == "problemen"
        assert [problem["code"] for problem in health["niet_geladen"]] == ["onbekende-sleutel"]
        kept = httpx.get(f"{service.url}/regiekaarten/fryslan").json()["regiekaart"]["naam"]
        assert "herzien" in kept  # the last version that loaded keeps serving
    finally:
        path.write_text(original, encoding="utf-8")
    health = _eventually(lambda: httpx.get(f"{service.url}/gezondheid").json(), until=lambda h: not h["niet_geladen"])
    assert health["status"] == "ok"


#: Boolean facts of fryslan: a rule on each is a new rules version, so a new durable-rules ruleset.
FLAGS = ("hulpvraag", "acute_crisis", "stagnatie", "dwang_drang_nodig", "strafrechtelijk_kader")


RULE = """\
  - id: meting
    toelichting: Alleen voor deze test.
    als: {{feit: {flag}, is: true}}
    dan: {{afleiden: [veiligheidsprobleem]}}
"""


def _served_hash(served: Service, wanted: str) -> str:
    read = lambda: httpx.get(f"{served.url}/regiekaarten/fryslan", timeout=30).json()["content_hash"]  # noqa: E731
    found: str = _eventually(read, until=lambda found: found == wanted, seconds=30)
    return found


def _replaced_and_started(log: str) -> bool:
    """A worker said it is replaced, and a fresh one started after that."""
    said, after = log.partition("wordt vervangen")[1:]
    return bool(said) and "Started server process" in after


def test_a_worker_is_replaced_before_reloaded_rules_fill_its_memory(tmp_path: Path) -> None:
    """Each new rules version holds memory in durable-rules for the life of the process: after
    --recycle-after of them a worker ends and uvicorn starts a fresh one, while clients notice
    nothing."""
    with running_service(tmp_path, "--workers", "2", "--recycle-after", "2") as served:
        failures: list[str] = []
        stop = threading.Event()

        def client() -> None:
            with httpx.Client(base_url=served.url, timeout=30) as http:
                while not stop.is_set():
                    try:
                        response = http.post("/regiekaarten/ave-generiek/besluiten", json={"feiten": {}})
                    except httpx.TransportError as error:
                        failures.append(type(error).__name__)
                    else:
                        if response.status_code != 200:
                            failures.append(str(response.status_code))

        deciding = threading.Thread(target=client)
        deciding.start()
        path = served.directory / "fryslan.yaml"
        original = path.read_text(encoding="utf-8")
        try:
            for flag in FLAGS:
                text = original.replace("regels:\n", f"regels:\n{RULE.format(flag=flag)}", 1)
                path.write_text(text, encoding="utf-8")
                wanted = ave_rules.loads(text, "fryslan.yaml", search=[served.directory]).content_hash
                assert _served_hash(served, wanted) == wanted
            log = _eventually(lambda: served.log.read_text(errors="replace"), until=_replaced_and_started, seconds=30)
        finally:
            stop.set()
            deciding.join()
        assert re.search(r"werker \d+ wordt vervangen: \d+ nieuwe regelsets sinds de start", log)
        assert failures == []
        assert served.process.poll() is None


def test_a_single_worker_is_not_ended_but_says_once_that_a_restart_is_due(caplog: pytest.LogCaptureFixture) -> None:
    recycler = Recycler(1, supervised=False)
    text = (ROOT / "regiekaarten" / "fryslan.yaml").read_text(encoding="utf-8")
    for flag in FLAGS[:2]:
        new = text.replace("regels:\n", f"regels:\n{RULE.format(flag=flag)}", 1).replace(
            "id: fryslan", "id: eenmalig", 1
        )
        ave_rules.loads(new, "eenmalig.yaml", search=[ROOT / "regiekaarten"]).evaluate({})
        recycler.check()
    assert [record.getMessage() for record in caplog.records if "herstart de dienst" in record.getMessage()] == [
        "herstart de dienst: 1 nieuwe regelsets sinds de start houden geheugen vast "
        "(met --workers 2 of meer gebeurt dit vanzelf)"
    ]


def _eventually(read: Callable[[], Any], until: Callable[[Any], object] = bool, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def test_the_published_openapi_document_is_the_services() -> None:
    published = json.loads((ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8"))
    assert published == openapi_document(), "run `ave-rules schema --openapi > schemas/openapi.json`"


def _spectral() -> str:
    """Spectral, as ``.ci/run`` installs it (see tests/adr/README.md)."""
    return npm_tool("spectral", "AVE_RULES_SPECTRAL", "AVE_RULES_REQUIRE_SPECTRAL", "@stoplight/spectral-cli")


def _lint(document: dict[str, Any], tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    ruleset = ROOT / "tests" / "adr" / "linter.yaml"
    output = tmp_path / "results.json"
    command = [_spectral(), "lint", "-r", str(ruleset), str(path), "-f", "json", "-o", str(output), "-F", "hint"]
    subprocess.run(command, capture_output=True, timeout=300, check=False)
    results: list[dict[str, Any]] = json.loads(output.read_text(encoding="utf-8"))
    return results


def test_the_openapi_document_follows_the_api_design_rules(tmp_path: Path) -> None:
    results = _lint(openapi_document(), tmp_path)
    assert results == [], [(result["code"], result["path"], result["message"]) for result in results]


def test_the_api_design_rules_linter_bites(tmp_path: Path) -> None:
    """What a plain FastAPI app lacks, the linter reports: so its silence above means something."""
    document = openapi_document()
    del document["servers"], document["info"]["contact"]
    decide = document["paths"]["/regiekaarten/{id}/besluiten"]["post"]["responses"]
    del decide["200"]["headers"]
    decide["400"]["content"] = {"application/json": decide["400"]["content"]["application/problem+json"]}
    codes = {result["code"] for result in _lint(document, tmp_path) if result["severity"] == 0}
    assert {"oas3-api-servers", "info-contact", "nlgov:missing-header", "nlgov:use-problem-schema"} <= codes, codes


def test_a_decision_record_from_the_service_replays_with_the_library(service: Service) -> None:
    from ave_rules.records import DecisionRecord, make_record, replay

    facts = {"hulpvraag": True, "kolommen": ["zorg", "veiligheid"], "veiligheidsrisico": "structureel"}
    body = {"feiten": facts, "peildatum": "2026-04-01"}
    response = httpx.post(f"{service.url}/regiekaarten/ave-generiek/beslisrecords", json=body)
    assert response.status_code == 200 and response.headers["api-version"] == API_VERSION
    record = DecisionRecord.model_validate_json(response.content)
    assert record.content_hash() == record.record_hash
    assert replay(record).confirmed
    own = make_record(GENERIC, facts, datetime.date(2026, 4, 1))
    varying = {"record_id", "decided_at", "record_hash"}
    assert record.model_dump(exclude=varying) == own.model_dump(exclude=varying)
    refused = httpx.post(f"{service.url}/regiekaarten/ave-generiek/beslisrecords", json={"feiten": {"hulp": MARKER}})
    assert MARKER not in problem_of(refused, 400)["detail"] + refused.text


@pytest.mark.skipif(os.name == "nt", reason="whether a process lives is not asked on Windows (os.kill ends it)")
def test_workers_are_replaced_one_at_a_time(tmp_path: Path) -> None:
    """A worker drains only while another one serves, so that some worker always accepts."""
    me, other = os.getpid(), os.getppid()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    dead = int(gone.stdout)
    _marker(tmp_path, me).touch()
    _marker(tmp_path, dead).touch()  # a worker that died without taking its marker
    assert not _take_turn(tmp_path, me)  # no other worker serves: this one keeps serving
    assert not _marker(tmp_path, dead).exists() and _marker(tmp_path, me).exists()
    _marker(tmp_path, other).touch()  # a replacement has loaded its kaarten
    assert _take_turn(tmp_path, me)
    assert not _marker(tmp_path, me).exists()  # at once: the other one waits for the next replacement
    assert not _take_turn(tmp_path, other)


def test_a_draining_worker_closes_each_connection_after_its_response() -> None:
    recycler = Recycler(1, supervised=True)
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"api-version", b"1")]})
        await send({"type": "http.response.body", "body": b"{}"})

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    middleware = CloseWhileDraining(app, recycler)
    scope: Scope = {"type": "http", "method": "GET", "path": "/"}
    asyncio.run(middleware(scope, receive, send))
    recycler.draining = True
    asyncio.run(middleware(scope, receive, send))
    assert [message.get("headers") for message in sent if message["type"] == "http.response.start"] == [
        [(b"api-version", b"1")],
        [(b"api-version", b"1"), (b"connection", b"close")],
    ]
