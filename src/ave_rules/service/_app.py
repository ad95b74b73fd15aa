"""The decision service: the library over HTTP, by the Dutch API Design Rules. No logic of its own.

Every resource is under ``/v1``: the major version is in the path, and every successful response
carries the full version in an ``API-Version`` header. Every error is ``application/problem+json``
(RFC 9457) with the library's codes and located problems, in Dutch, or in English when the
request asks for it with ``Accept-Language``. A request the service cannot use is a 400, never a
500, and no message repeats a fact's value or the body of a request.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import _terms as t
from .._messages import Language, language, printable, render
from ..authoring import render_html
from ..engine import scenario_failures
from ..errors import FactsError, KaartNotFoundError, PeildatumError, Problem, RegiekaartError
from ..kaart import MAX_BYTES, Decision, Regiekaart, decision_schema, regiekaart_schema, scenario_file_schema
from ..loading import loads
from ..records import DecisionRecord, make_record
from ._store import KaartStore

API_VERSION = "1.0.0"
logger = logging.getLogger("ave_rules.service")
#: A body larger than this is refused before it is read: a kaart is at most 1 MiB of text, and
#: escaped as a JSON string it can take up to twice that.
MAX_BODY = 2 * MAX_BYTES + 64 * 1024
PROBLEM_JSON = "application/problem+json"
KaartId = Annotated[str, Path(pattern=t.KAART_ID_PATTERN, max_length=100, description="Het id van de regiekaart.")]
Peildatum = Annotated[
    datetime.date | None,
    Query(description="De dag waarop de kaart moet gelden (standaard: vandaag), als JJJJ-MM-DD."),
]


class Contact(BaseModel):
    """Who answers questions about this service: a deployment sets its own."""

    name: str = "ave_rules maintainers"
    email: str = "ave-rules@example.org"
    url: str = "https://github.com/ave-rules/ave_rules"


class Casus(BaseModel):
    """A case to decide: its facts, categorical indicators only, and optionally the day."""

    model_config = ConfigDict(extra="forbid")
    feiten: dict[str, Any] = Field(description="De feiten van de casus: feitnaam → waarde, zoals de kaart ze kent.")
    peildatum: datetime.date | None = Field(
        default=None,
        description="De dag waarop de kaart moet gelden en waarvanaf de termijnen tellen (standaard: vandaag, "
        "in Europe/Amsterdam).",
    )


class Kaarttekst(BaseModel):
    """A kaart to check, as the text of its YAML file."""

    model_config = ConfigDict(extra="forbid")
    tekst: str = Field(max_length=MAX_BYTES, description="De regiekaart als YAML-tekst.")
    naam: str = Field(
        default="kaart.yaml",
        max_length=200,
        pattern=r"^[^\x00-\x1f/\\]+$",
        description="Een bestandsnaam voor de meldingen.",
    )


class Melding(BaseModel):
    """One problem: in a kaart, where it is written (as ``ave-rules validate --format json`` says);
    in a request, the path into the request."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str
    code: str
    message: str


class Probleem(BaseModel):
    """An error, as RFC 9457 describes it, with the library's code and located problems."""

    type: str = Field(description="Een URI die de soort fout aanduidt: urn:ave-rules:probleem:<code>.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str
    problemen: list[Melding] = Field(default_factory=list)


class Controle(BaseModel):
    geldig: bool
    id: str | None = None
    versie: str | None = None
    problemen: list[Melding]


class Versie(BaseModel):
    versie: str
    geldig_vanaf: str = Field(description="De eerste dag waarop deze versie geldt (JJJJ-MM-DD).")
    geldig_tot: str | None = Field(description="De eerste dag waarop deze versie niet meer geldt, of null.")
    geldt_vandaag: bool
    content_hash: str
    engine: str = Field(description="Wat de casussen van deze versie beslist: durable-rules of reference.")


class KaartDocument(BaseModel):
    versie: str
    content_hash: str = Field(description="SHA-256 van de inhoud van de kaart, met de basiskaart ingevoegd.")
    regiekaart: dict[str, Any] = Field(description="De kaart, geldig volgens /v1/schemas/regiekaart.")


class KaartOverzicht(BaseModel):
    id: str
    naam: str
    versies: list[Versie]


class Gezondheid(BaseModel):
    status: Literal["ok", "problemen"]
    engine: str = Field(description="De gekozen engine: auto, durable-rules of reference (per versie: wat beslist).")
    geladen_op: str = Field(description="Wanneer de kaarten het laatst zijn (her)laden, ISO 8601 met tijdzone.")
    kaarten: list[KaartOverzicht]
    niet_geladen: list[Melding] = Field(description="Bestanden die niet laden; hun vorige versie blijft in dienst.")


def _melding(problem: Problem) -> Melding:
    return Melding(**problem.as_dict())


def _problem_response(
    status: int,
    code: str,
    detail: str,
    instance: str,
    problems: list[Melding] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = Probleem(
        type=f"urn:ave-rules:probleem:{code}",
        title=render(f"dienst-titel-{status}", {}),
        status=status,
        detail=detail,
        instance=instance,
        code=code,
        problemen=problems or [],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _language(request: Request) -> Language:
    """English when the request prefers it; Dutch otherwise."""
    ranked = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((weight, tag.strip().lower()))
    for _, tag in sorted(ranked, reverse=True):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("nl") or tag == "*":
            return "nl"
    return "nl"


class _Limits:
    """ASGI middleware: a body over MAX_BODY is refused (413) before it is read into memory, every
    successful response says the API's version, and every request is logged by its method, path
    (without the query) and status: never a query or a body, which could hold a case."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            await self._too_large(scope, receive, send)
            return
        seen = 0
        too_large = False

        async def limited() -> Message:
            nonlocal seen, too_large
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                too_large = True
                raise _BodyTooLarge
            return message

        async def versioned(message: Message) -> None:
            if too_large:  # whatever the app answers to a body cut short, the answer is a 413
                return
            if message["type"] == "http.response.start":
                if message["status"] < 400:
                    message["headers"] = [*message.get("headers", []), (b"api-version", API_VERSION.encode())]
                _log(scope, message["status"])
            await send(message)

        with contextlib.suppress(_BodyTooLarge):  # FastAPI may catch it first, or may not
            await self.app(scope, limited, versioned)
        if too_large:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = render("dienst-te-groot", {"grens": str(MAX_BODY)})
        response = _problem_response(413, "dienst-te-groot", detail, scope.get("path", ""))
        _log(scope, 413)
        await response(scope, receive, send)


def _log(scope: Scope, status: int) -> None:
    logger.info("%s %s %d", scope["method"], printable(scope["path"]), status)


class _BodyTooLarge(Exception):
    """A streamed body went over MAX_BODY (control flow inside the middleware only)."""


def create_app(store: KaartStore, contact: Contact | None = None) -> FastAPI:
    """The service for the kaarten in ``store``, its resources under ``/v1``."""
    contact = contact or Contact()
    api = FastAPI(
        title="ave_rules: AVE-regiekaarten",
        version=API_VERSION,
        summary="Beslis casussen met de AVE-regiekaarten van een gemeente of regio.",
        description=(
            "Een dunne laag over de bibliotheek ave_rules: de regiekaarten, hun versies per datum, het besluit "
            "over een casus, en de controle van een kaart. Fouten zijn application/problem+json (RFC 9457), in het "
            "Nederlands of, met Accept-Language: en, in het Engels."
        ),
        contact=contact.model_dump(),
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        servers=[{"url": "/v1", "description": "Deze dienst"}],
        docs_url=None,
        redoc_url=None,
    )
    _routes(api, store)
    _errors(api)
    generated = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = by_the_design_rules(generated())
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to adapt the document
    root = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    root.mount("/v1", api)
    _errors(root)  # what no route of /v1 takes (a path with a line break in it) is answered the same way
    root.add_middleware(_Limits)
    root.state.api = api
    return root


def by_the_design_rules(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as FastAPI makes it, brought to the API Design Rules: every error is
    problem+json (and FastAPI's 422 is our 400), every success declares the API-Version header."""
    version_header = {
        "description": "De volledige versie van de API (semver).",
        "schema": {"type": "string", "example": API_VERSION},
    }
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Probleem"}}}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                # An optional query parameter is left out, never sent as null: only its own type.
                choices = parameter["schema"].pop("anyOf", None)
                if choices is not None:
                    parameter["schema"].update(next(c for c in choices if c.get("type") != "null"))
            responses = operation.get("responses", {})
            responses.pop("422", None)
            for status, response in responses.items():
                if status.startswith(("2", "3")):
                    response.setdefault("headers", {})["API-Version"] = version_header
                elif status.startswith(("4", "5")):
                    response["content"] = problem
    schemas = document.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _error(description: str) -> dict[str, Any]:
    return {"model": Probleem, "content": {PROBLEM_JSON: {}}, "description": description}


BAD_REQUEST = _error("Het verzoek is niet te gebruiken: de melding zegt waar en wat er wordt verwacht.")
NO_KAART = _error("De regiekaart wordt hier niet aangeboden, of heeft geen versie op die dag.")
NO_PATH = _error("Hier is niets: een pad dat de dienst niet kent (zoals een met een regeleinde erin).")


def _routes(api: FastAPI, store: KaartStore) -> None:
    @api.get(
        "/regiekaarten",
        operation_id="lijstRegiekaarten",
        summary="De regiekaarten met hun versies.",
        responses={400: BAD_REQUEST},
    )
    def lijst() -> list[KaartOverzicht]:
        return _overview(store)

    @api.get(
        "/regiekaarten/{id}",
        operation_id="haalRegiekaart",
        summary="Eén regiekaart, zoals het schema van een kaart haar beschrijft (de basiskaart ingevoegd).",
        responses={400: BAD_REQUEST, 404: NO_KAART},
    )
    def kaart(request: Request, id: KaartId, peildatum: Peildatum = None) -> KaartDocument:
        found = store.kaart(id, peildatum)
        return KaartDocument(
            versie=found.version,
            content_hash=found.content_hash,
            regiekaart=found.model_dump(mode="json", by_alias=True, exclude_defaults=True),
        )

    @api.get(
        "/regiekaarten/{id}/pagina",
        operation_id="haalRegiekaartPagina",
        summary="Eén regiekaart als pagina om te lezen en te printen (HTML).",
        response_class=HTMLResponse,
        responses={200: {"content": {"text/html": {}}}, 400: BAD_REQUEST, 404: NO_KAART},
    )
    def pagina(request: Request, id: KaartId, peildatum: Peildatum = None) -> HTMLResponse:
        with language(_language(request)):
            return HTMLResponse(render_html(store.kaart(id, peildatum)))

    @api.post(
        "/regiekaarten/{id}/besluiten",
        operation_id="beslisCasus",
        summary="Beslis een casus: het niveau, wie welke rol heeft, wat er moet gebeuren en waarom.",
        response_model=Decision,
        responses={400: BAD_REQUEST, 404: NO_KAART},
    )
    def besluit(request: Request, id: KaartId, casus: Casus) -> Response:
        decision = store.kaart(id, casus.peildatum).evaluate(casus.feiten, casus.peildatum)
        return Response(decision.model_dump_json(), media_type="application/json")  # the library's bytes

    @api.post(
        "/regiekaarten/{id}/beslisrecords",
        operation_id="maakBeslisrecord",
        summary="Beslis een casus en geef het beslisrecord voor het dossier: het besluit met de feiten, "
        "de exacte kaart, wanneer, en per regel of zij het niveau bepaalde.",
        response_model=DecisionRecord,
        responses={400: BAD_REQUEST, 404: NO_KAART},
    )
    def beslisrecord(request: Request, id: KaartId, casus: Casus) -> Response:
        record = make_record(store.kaart(id, casus.peildatum), casus.feiten, casus.peildatum)
        return Response(record.model_dump_json(), media_type="application/json")  # as ave-rules writes it

    @api.post(
        "/controles",
        operation_id="controleerRegiekaart",
        summary="Controleer een regiekaart: dezelfde meldingen als ave-rules validate, met de scenario's.",
        responses={400: BAD_REQUEST},
    )
    def controle(request: Request, kaart: Kaarttekst) -> Controle:
        with language(_language(request)):
            try:
                loaded = loads(kaart.tekst, kaart.naam, search=[store.directory], engine="reference")
            except RegiekaartError as error:
                return Controle(geldig=False, problemen=[_melding(p) for p in error.problems])
            failures = scenario_failures(loaded)
            return Controle(
                geldig=not failures, id=loaded.id, versie=loaded.version, problemen=[_melding(p) for p in failures]
            )

    @api.get(
        "/schemas/{naam}",
        operation_id="haalSchema",
        summary="Een JSON Schema (draft-07): van een regiekaart, een scenariobestand of een besluit.",
        responses={400: BAD_REQUEST, 404: NO_PATH},
    )
    def schema(naam: Annotated[Literal["regiekaart", "scenarios", "besluit"], Path()]) -> dict[str, Any]:
        made: dict[str, Callable[[], dict[str, Any]]] = {
            "regiekaart": regiekaart_schema,
            "scenarios": scenario_file_schema,
            "besluit": decision_schema,
        }
        return made[naam]()

    @api.get(
        "/gezondheid",
        operation_id="haalGezondheid",
        summary="Welke kaarten geladen zijn, welke niet, en wat beslist.",
        responses={400: BAD_REQUEST},
    )
    def gezondheid() -> Gezondheid:
        snapshot = store.refresh()
        failed = [_melding(p) for problems in snapshot.problems.values() for p in problems]
        return Gezondheid(
            status="problemen" if failed else "ok",
            engine=store.engine,
            geladen_op=snapshot.loaded_at.isoformat(),
            kaarten=_overview(store),
            niet_geladen=failed,
        )


def _overview(store: KaartStore) -> list[KaartOverzicht]:
    snapshot = store.refresh()
    today = datetime.date.today()
    by_id: dict[str, list[Regiekaart]] = {}
    for kaart in snapshot.kaarten.values():
        by_id.setdefault(kaart.id, []).append(kaart)
    return [
        KaartOverzicht(
            id=kaart_id,
            naam=versions[-1].name,
            versies=[
                Versie(
                    versie=k.version,
                    geldig_vanaf=k.valid_from,
                    geldig_tot=k.valid_until,
                    geldt_vandaag=k.is_valid_on(today),
                    content_hash=k.content_hash,
                    engine=k.engine,
                )
                for k in versions
            ],
        )
        for kaart_id, versions in sorted((i, sorted(v, key=lambda k: k.valid_from)) for i, v in by_id.items())
    ]


def _errors(api: FastAPI) -> None:
    @api.exception_handler(FactsError)
    async def facts(request: Request, error: FactsError) -> JSONResponse:
        with language(_language(request)):
            problems = [
                Melding(path="/feiten" + (f"/{p.path}" if p.path else ""), code=p.code, message=p.message)
                for p in error.problems
            ]
            detail = render("dienst-feiten", {"aantal": str(len(problems))})
            return _problem_response(400, "dienst-feiten", detail, request.url.path, problems)

    @api.exception_handler(KaartNotFoundError)
    async def not_found(request: Request, error: KaartNotFoundError) -> JSONResponse:
        with language(_language(request)):
            return _problem_response(404, error.code, error.message, request.url.path)

    @api.exception_handler(PeildatumError)
    async def bad_day(request: Request, error: PeildatumError) -> JSONResponse:
        with language(_language(request)):
            problems = [Melding(path="/body/peildatum", code=error.code, message=error.message)]
            detail = render("dienst-verzoek-ongeldig", {"aantal": "1"})
            return _problem_response(400, "dienst-verzoek", detail, request.url.path, problems)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        # pydantic's messages can repeat the input: only where, and what kind of problem, is said.
        with language(_language(request)):
            problems = [_request_problem(found) for found in error.errors()]
            detail = render("dienst-verzoek-ongeldig", {"aantal": str(len(problems))})
            return _problem_response(400, "dienst-verzoek", detail, request.url.path, problems)

    @api.exception_handler(HTTPException)
    async def http(request: Request, error: HTTPException) -> JSONResponse:
        # Starlette's: no route (404), a method the route does not take (405); FastAPI's: a body it
        # cannot parse (400, as when JSON nests deeper than Python's parser goes).
        with language(_language(request)):
            if error.status_code == 405:
                detail = render("dienst-methode", {})
                return _problem_response(405, "dienst-methode", detail, request.url.path, headers=error.headers)
            if error.status_code == 404:
                detail = render("dienst-niet-gevonden", {})
                return _problem_response(404, "dienst-niet-gevonden", detail, request.url.path)
            problems = [Melding(path="/body", code="dienst-verzoek-json", message=render("dienst-verzoek-json", {}))]
            detail = render("dienst-verzoek-ongeldig", {"aantal": "1"})
            return _problem_response(400, "dienst-verzoek", detail, request.url.path, problems)

    @api.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        # Logged by its kind only: an exception's text could hold what a request sent.
        logger.error("interne fout bij %s %s: %s", request.method, request.url.path, type(error).__name__)
        with language(_language(request)):
            return _problem_response(500, "dienst-intern", render("dienst-intern", {}), request.url.path)


#: pydantic's kinds of problem in a request, and the message for each; a parameter comes from the
#: description of the service (a pattern, a length), never from the request.
_REQUEST_PROBLEMS = {
    "missing": "dienst-verzoek-ontbreekt",
    "extra_forbidden": "dienst-verzoek-onbekend-veld",
    "json_invalid": "dienst-verzoek-json",
    "dict_type": "dienst-verzoek-object",
    "model_attributes_type": "dienst-verzoek-object",
    "string_type": "dienst-verzoek-tekst",
    "date_type": "dienst-verzoek-datum",
    "date_parsing": "dienst-verzoek-datum",
    "date_from_datetime_parsing": "dienst-verzoek-datum",
    "date_from_datetime_inexact": "dienst-verzoek-datum",
    "literal_error": "dienst-verzoek-keuze",
    "string_pattern_mismatch": "dienst-verzoek-patroon",
    "string_too_long": "dienst-verzoek-te-lang",
}


def _request_problem(found: Mapping[str, Any]) -> Melding:
    """One of pydantic's problems with a request: where, and what is expected, never the input.
    An unknown field is located at its parent: its name is part of what the request sent."""
    location = [str(part) for part in found["loc"]]
    if found["type"] == "extra_forbidden":
        location = location[:-1]
    code = _REQUEST_PROBLEMS.get(found["type"], "dienst-verzoek-plek")
    context = found.get("ctx") or {}
    params = {
        "soort": str(found["type"]),
        "verwacht": str(context.get("expected", "")),
        "patroon": str(context.get("pattern", "")),
        "grens": str(context.get("max_length", "")),
    }
    return Melding(path="/" + "/".join(location), code=code, message=render(code, params))
