"""The ``ave-rules`` command. A thin layer: the work is done by the library.

Exit codes: 0 all well, 1 problems found in the input, 2 wrong usage or an internal error,
130 interrupted (Ctrl-C). What the command prints never controls the terminal: every control
character that reaches standard output or error from a file, a case or an argument is escaped.
The library is imported by the commands that need it, after the arguments are read.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import _terms as t
from ._messages import HELP_EN, get_language, language, printable_text, render
from ._version import __version__
from .errors import (
    CaseFileError,
    CrossCheckError,
    DiffError,
    FactsError,
    HistoryError,
    Problem,
    RegiekaartError,
    ScaffoldError,
)

if TYPE_CHECKING:
    from .analysis import KaartDiff, Load, Summary
    from .kaart import Decision, Regiekaart
    from .loading import ScenarioFile
    from .records import CaseHistory

OK, FINDINGS, USAGE, INTERRUPTED = 0, 1, 2, 130
AUTO = "auto"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ave-rules",
        description="AVE-regiekaarten valideren en uitvoeren. / Validate and run AVE regiekaarten.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    language_option = argparse.ArgumentParser(add_help=False)
    language_option.add_argument(
        "--lang", choices=("nl", "en"), default=argparse.SUPPRESS, help="taal van de meldingen (standaard nl)"
    )
    parser.add_argument("--lang", choices=("nl", "en"), default=None, help="taal van de meldingen (standaard nl)")
    engine_option = argparse.ArgumentParser(add_help=False)
    engine_option.add_argument(
        "--engine",
        choices=t.ENGINES,
        default=AUTO,
        help="wat beslist: durable-rules, de referentie-evaluator, of auto (durable-rules waar het kan)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    kaarten_options = argparse.ArgumentParser(add_help=False)
    kaarten_options.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="een regiekaart (.yaml), een scenariobestand (.scenarios.yaml) of een map",
    )
    kaarten_options.add_argument("--format", choices=("text", "json", "github"), default="text", help="uitvoervorm")
    kaart_commands = [language_option, engine_option, kaarten_options]
    commands.add_parser(
        "validate", parents=kaart_commands, help="controleer regiekaarten (bestanden of mappen) en hun scenario's"
    )
    check_ = commands.add_parser(
        "check",
        parents=kaart_commands,
        help="controleer regiekaarten over alle mogelijke casussen: dode regels, gaten, tegenstrijdigheden",
    )
    check_.add_argument(
        "--norm",
        metavar="NORM",
        help="toets elke kaart ook aan deze norm: een normbestand (.yaml) of een meegeleverde norm, zoals"
        " landelijk-kader",
    )

    evaluate = commands.add_parser("evaluate", parents=[language_option, engine_option], help="beslis over één casus")
    evaluate.add_argument("kaart", metavar="KAART", help="de regiekaart (.yaml)")
    evaluate.add_argument(
        "--facts", required=True, metavar="FILE", help="feiten van de casus als JSON of YAML; '-' leest stdin"
    )
    evaluate.add_argument("--format", choices=("text", "json"), default="text", help="uitvoervorm")
    evaluate.add_argument("--peildatum", type=_day, metavar="JJJJ-MM-DD", help="beslis op deze dag (standaard vandaag)")
    evaluate.add_argument(
        "--record", metavar="FILE", help="schrijf ook het beslisrecord voor het dossier naar FILE (JSON)"
    )
    evaluate.add_argument(
        "--history",
        metavar="FILE",
        help="de geschiedenis van de casus (JSON): geeft de tijdfeiten, krijgt dit besluit erbij",
    )
    evaluate.add_argument(
        "--case", metavar="REF", help="zaakreferentie voor een nieuwe geschiedenis (geen persoonsgegevens)"
    )

    replay_ = commands.add_parser(
        "replay", parents=[language_option], help="beslis een beslisrecord opnieuw en bevestig de uitkomst"
    )
    replay_.add_argument("record", metavar="RECORD", help="het beslisrecord (.json) van ave-rules evaluate --record")
    replay_.add_argument(
        "--kaarten", action="append", default=[], metavar="MAP", help="zoek de kaart hier (daarna de meegeleverde)"
    )
    replay_.add_argument("--format", choices=("text", "json"), default="text", help="uitvoervorm")

    actielijst_ = commands.add_parser(
        "actielijst", parents=[language_option], help="de actielijst van een beslisrecord, om rond te sturen"
    )
    actielijst_.add_argument(
        "record", metavar="RECORD", help="het beslisrecord (.json) van ave-rules evaluate --record"
    )
    actielijst_.add_argument(
        "--kaarten", action="append", default=[], metavar="MAP", help="zoek de kaart hier (daarna de meegeleverde)"
    )
    actielijst_.add_argument("--format", choices=("text", "json", "html"), default="text", help="uitvoervorm")
    actielijst_.add_argument("--output", metavar="FILE", help="schrijf naar FILE in plaats van naar het scherm")

    explain_ = commands.add_parser(
        "explain", parents=[language_option, engine_option], help="beslis over één casus en leg het besluit uit"
    )
    explain_.add_argument("kaart", metavar="KAART", help="de regiekaart (.yaml)")
    explain_.add_argument(
        "--facts", required=True, metavar="FILE", help="feiten van de casus als JSON of YAML; '-' leest stdin"
    )
    explain_.add_argument("--format", choices=("text", "html", "json"), default="text", help="uitvoervorm")
    explain_.add_argument("--peildatum", type=_day, metavar="JJJJ-MM-DD", help="beslis op deze dag (standaard vandaag)")
    explain_.add_argument("--output", metavar="FILE", help="schrijf naar FILE in plaats van naar het scherm")
    explain_.add_argument(
        "--case", metavar="REF", help="zaakreferentie op de besluitpagina (--format html; geen persoonsgegevens)"
    )

    render_ = commands.add_parser("render", parents=[language_option], help="de regiekaart als pagina om te lezen")
    render_.add_argument("kaart", metavar="KAART", help="de regiekaart (.yaml)")
    render_.add_argument("--format", choices=("html", "markdown"), default="html", help="uitvoervorm")
    render_.add_argument("--output", metavar="FILE", help="schrijf naar FILE in plaats van naar het scherm")
    render_.add_argument(
        "--reference",
        action="store_true",
        help="het naslagdocument met de tabellen (feiten, regels, organisaties) in plaats van de regiekaart",
    )
    render_.add_argument("--paper", choices=("A3", "A4"), default="A3", help="papierformaat voor afdrukken (liggend)")

    new = commands.add_parser("new", parents=[language_option], help="begin een nieuwe kaart voor een gemeente")
    new.add_argument("--extends", required=True, metavar="ID", help="de kaart waarop deze voortbouwt")
    new.add_argument("--gemeente", required=True, metavar="NAAM", help="de naam van de gemeente")
    new.add_argument("--id", metavar="ID", help="de id van de nieuwe kaart (standaard: uit de naam)")
    new.add_argument("--output", metavar="FILE", help="schrijf naar FILE (dat nog niet mag bestaan)")

    cases_options = argparse.ArgumentParser(add_help=False)
    cases_options.add_argument(
        "--beslisser",
        choices=("bdd", "engine"),
        default="bdd",
        help="wat elke verschillende casus beslist: de beslisdiagrammen van de kaart (standaard; een"
        " steekproef nagerekend door de engine) of de engine (--engine)",
    )
    cases_options.add_argument(
        "--steekproef",
        type=_positive,
        default=1000,
        metavar="N",
        help="zoveel verschillende casussen rekent de engine na als de beslisdiagrammen beslissen (1000)",
    )
    diff = commands.add_parser(
        "diff",
        parents=[language_option, engine_option, cases_options],
        help="welke casussen van niveau, rollen of acties veranderen tussen twee versies van een kaart",
    )
    diff.add_argument("old", metavar="OUD", help="de huidige regiekaart (.yaml)")
    diff.add_argument("new", metavar="NIEUW", help="de nieuwe regiekaart (.yaml)")
    diff.add_argument("--cases", metavar="FILE", help="echte casussen (.csv of .jsonl): hoeveel veranderen er")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="uitvoervorm")

    simulate = commands.add_parser(
        "simulate",
        parents=[language_option, engine_option, cases_options],
        help="de belasting per niveau en organisatie",
    )
    simulate.add_argument("kaart", metavar="KAART", help="de regiekaart (.yaml)")
    simulate.add_argument("--cases", required=True, metavar="FILE", help="echte casussen (.csv of .jsonl)")
    simulate.add_argument("--format", choices=("text", "json"), default="text", help="uitvoervorm")

    serve = commands.add_parser(
        "serve",
        parents=[engine_option],
        help="bied de regiekaarten van een map aan als dienst over HTTP (REST/JSON); ave-rules[service] nodig",
    )
    serve.add_argument("directory", nargs="?", metavar="MAP", help="map met regiekaarten (standaard: de meegeleverde)")
    # Each default can come from the environment; argparse checks it as it checks the option.
    serve.add_argument("--host", default=os.environ.get("AVE_RULES_HOST", "127.0.0.1"), help="adres (127.0.0.1)")
    serve.add_argument("--port", type=int, default=os.environ.get("AVE_RULES_PORT", "8000"), help="poort (8000)")
    serve.add_argument(
        "--workers", type=_positive, default=os.environ.get("AVE_RULES_WORKERS", "1"), help="processen (1)"
    )
    serve.add_argument(
        "--recycle-after",
        type=_positive,
        default=os.environ.get("AVE_RULES_RECYCLE_AFTER", "200"),
        metavar="N",
        help="vervang een proces na N nieuwe regelsets door herladen (200; elk houdt ongeveer 0,35 MB vast)",
    )
    serve.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default=os.environ.get("AVE_RULES_LOG_LEVEL", "info"),
        help="hoeveel de dienst logt (standaard info)",
    )

    schema = commands.add_parser("schema", parents=[language_option], help="print het JSON Schema van een regiekaart")
    which = schema.add_mutually_exclusive_group()
    which.add_argument("--besluit", action="store_true", help="het schema van een besluit in plaats van een kaart")
    which.add_argument(
        "--scenarios", action="store_true", help="het schema van een scenariobestand (<naam>.scenarios.yaml)"
    )
    which.add_argument("--openapi", action="store_true", help="het OpenAPI-document van ave-rules serve")
    which.add_argument("--record", action="store_true", help="het schema van een beslisrecord")
    which.add_argument("--history", action="store_true", help="het schema van de geschiedenis van een casus")
    which.add_argument("--norm", action="store_true", help="het schema van een norm (ave-rules check --norm)")
    schema.add_argument(
        "--strikt",
        action="store_true",
        help="zonder wat alleen editors gebruiken (defaultSnippets), voor validators in strikte modus zoals ajv",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(stdout), _TerminalSafe(stderr)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(render("cli-onderbroken", {}), file=sys.stderr)
        return INTERRUPTED
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = stdout, stderr


class _TerminalSafe:
    """A text stream that writes every control character but the line break and the tab as an
    escape: text from a kaart, a case or a file name never moves the cursor or retitles a window."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable_text(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _asked_language(arguments: Sequence[str]) -> str:
    """The language ``--lang`` asks for (its last use), else the messages' language."""
    asked: str = get_language()
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            asked = arguments[index + 1]
        elif argument.startswith("--lang="):
            asked = argument.partition("=")[2]
    return asked


def _in_english(parser: argparse.ArgumentParser) -> None:
    """``parser``'s help texts, and those of its commands, in English (``--lang en --help``)."""
    if parser.description is not None:
        parser.description = HELP_EN.get(parser.description, parser.description)
    for action in parser._actions:  # argparse keeps its options and commands here, and nowhere public
        if action.help is not None:
            action.help = HELP_EN.get(action.help, action.help)
        if isinstance(action, argparse._SubParsersAction):
            for command in action._choices_actions:
                command.help = HELP_EN.get(command.help or "", command.help)
            for subparser in action.choices.values():
                _in_english(subparser)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if _asked_language(arguments) == "en":
        _in_english(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on bad usage, 0 on --help/--version
        return int(exit_.code or 0)
    with language(args.lang or get_language()):
        try:
            if args.command == "schema":
                from .kaart import (
                    decision_schema_json,
                    norm_schema,
                    regiekaart_schema,
                    scenario_file_schema,
                    schema_json,
                    strict_schema,
                )

                if args.openapi:
                    return _openapi()
                if args.record or args.history:
                    from .records import history_schema, record_schema

                    schema = record_schema() if args.record else history_schema()
                    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
                    return OK
                if args.besluit:
                    sys.stdout.write(decision_schema_json())
                else:
                    document = (
                        scenario_file_schema()
                        if args.scenarios
                        else norm_schema()
                        if args.norm
                        else regiekaart_schema()
                    )
                    sys.stdout.write(schema_json(strict_schema(document) if args.strikt else document))
                return OK
            if args.command == "serve":
                return _serve(args)
            if args.command in ("evaluate", "explain"):
                return _evaluate(
                    args.kaart,
                    args.facts,
                    args.format,
                    args.engine,
                    getattr(args, "output", None),
                    args.peildatum,
                    getattr(args, "record", None),
                    (getattr(args, "history", None), getattr(args, "case", None)),
                )
            if args.command == "replay":
                return _replay(args.record, args.kaarten, args.format)
            if args.command == "actielijst":
                return _actielijst(args.record, args.kaarten, args.format, args.output)
            if args.command == "render":
                return _render(args.kaart, args.format, args.output, reference=args.reference, paper=args.paper)
            if args.command == "new":
                return _new(args.extends, args.gemeente, args.id, args.output)
            if args.command == "diff":
                return _diff(
                    args.old, args.new, args.cases, args.format, args.engine, (args.beslisser, args.steekproef)
                )
            if args.command == "simulate":
                return _simulate(args.kaart, args.cases, args.format, args.engine, (args.beslisser, args.steekproef))
            if args.command == "check":
                return _check(args.paths, args.format, args.engine, args.norm)
            return _validate(args.paths, args.format, args.engine)
        except Exception as error:
            print(f"ave-rules: interne fout / internal error: {type(error).__name__}: {error}", file=sys.stderr)
            return USAGE


def _day(text: str) -> datetime.date:
    from .engine import reference_date
    from .errors import PeildatumError

    try:
        day = datetime.date.fromisoformat(text) if re.fullmatch(t.DATE_PATTERN, text) else None
    except ValueError:  # a day that does not exist, such as 2026-02-30
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(render("cli-geen-datum", {"waarde": text[:20]}))
    try:
        return reference_date(day)
    except PeildatumError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> int:
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(render("cli-geen-positief-getal", {"waarde": text[:20]}))
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    """Run the service until it is stopped; each worker loads the kaarten itself."""
    import tempfile

    directory: str | None = args.directory
    try:
        import uvicorn
    except ImportError:
        print(render("cli-dienst-niet-geinstalleerd", {}), file=sys.stderr)
        return USAGE
    if directory is not None and not Path(directory).is_dir():
        print(render("cli-dienst-geen-map", {"map": directory}), file=sys.stderr)
        return FINDINGS
    os.environ["AVE_RULES_DIR"] = str(Path(directory).resolve()) if directory else ""
    os.environ["AVE_RULES_ENGINE"] = args.engine
    os.environ["AVE_RULES_WORKERS"] = str(args.workers)
    os.environ["AVE_RULES_RECYCLE_AFTER"] = str(args.recycle_after)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The workers say there that they serve, so that they are replaced one at a time (service._recycle).
    with tempfile.TemporaryDirectory(prefix="ave-rules-werkers-") as workers_dir:
        os.environ["AVE_RULES_WORKERS_DIR"] = workers_dir
        uvicorn.run(
            "ave_rules.service:app_from_environment",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            access_log=False,  # the service logs each request itself, without its query
        )
    return OK


def _openapi() -> int:
    try:
        from .service import openapi_document
    except ImportError:
        print(render("cli-dienst-niet-geinstalleerd", {}), file=sys.stderr)
        return USAGE
    sys.stdout.write(json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n")
    return OK


def _load_all(paths: Sequence[str], engine: str) -> tuple[list[Regiekaart], list[ScenarioFile], list[Problem]]:
    """Every kaart and scenario file in ``paths`` (files or directories), and the problems of
    those that fail. A scenario file's kaart is looked up next to it, then in the directories
    given (or those of the files given), then among the bundled kaarten."""
    from .kaart import kaart_files
    from .loading import load, load_scenarios, load_versions

    kaarten: list[Regiekaart] = []
    scenario_files: list[ScenarioFile] = []
    problems: list[Problem] = []
    given = [Path(name) for name in paths]
    search = list(dict.fromkeys(path if path.is_dir() else path.parent for path in given))

    for path in given:
        scenario_paths = _scenario_paths(path)
        try:
            if path.is_dir() and (kaart_files(path) or not scenario_paths):
                kaarten += load_versions(path, engine=engine)
            elif not path.is_dir() and not scenario_paths:
                kaarten.append(load(path, engine=engine))
        except RegiekaartError as error:
            problems.extend(error.problems)
        for scenario_path in scenario_paths:
            try:
                scenario_files.append(load_scenarios(scenario_path, search=search, engine=engine))
            except RegiekaartError as error:
                problems.extend(error.problems)
    return kaarten, scenario_files, problems


def _scenario_paths(path: Path) -> list[Path]:
    """``path`` if it is a scenario file, or the scenario files in directory ``path``."""
    from .kaart import is_scenario_file

    if path.is_dir():
        return sorted(file for file in path.iterdir() if is_scenario_file(file) and not file.is_dir())
    return [path] if is_scenario_file(path) else []


def _validate(paths: Sequence[str], output: str, engine: str) -> int:
    from .engine import scenario_failures

    loaded, scenario_files, problems = _load_all(paths, engine)
    kaarten: list[Regiekaart] = []
    for kaart in loaded:
        failed = scenario_failures(kaart)
        problems.extend(failed)
        if not failed:
            kaarten.append(kaart)
    holding = _holding(scenario_files, problems)
    _report(output, kaarten, problems, holding)
    return FINDINGS if problems else OK


def _holding(scenario_files: Sequence[ScenarioFile], problems: list[Problem]) -> list[ScenarioFile]:
    """The scenario files whose scenarios all hold; the differences of the others go to ``problems``."""
    holding = []
    for scenario_file in scenario_files:
        failed = scenario_file.problems()
        problems.extend(failed)
        if not failed:
            holding.append(scenario_file)
    return holding


def _check(paths: Sequence[str], output: str, engine: str, norm_name: str | None = None) -> int:
    with _without_networkx():
        from .analysis import Report, check  # binary decision diagrams: loaded only for this command
    from .kaart import NormDocument, read_norm

    norm: NormDocument | None = None
    norm_problems: list[Problem] = []
    if norm_name is not None:
        try:
            norm = read_norm(norm_name)
        except RegiekaartError as error:  # then no kaart is checked: the norm was asked for
            norm_problems = list(error.problems)
    loaded, scenario_files, problems = _load_all(paths, engine)
    problems[:0] = norm_problems
    holding = _holding(scenario_files, problems)
    reports: list[Report] = []
    for kaart in loaded if not norm_problems else ():
        try:
            reports.append(check(kaart, norm=norm))
        except RegiekaartError as error:  # the norm does not apply to this kaart, or names what it lacks
            problems.extend(error.problems)
    findings = [finding for report in reports for finding in report.findings]
    if output == "json":
        kaarten: list[dict[str, Any]] = []
        for report in reports:
            kaarten.append({"id": report.kaart.id, "versie": report.kaart.version, "clean": report.clean})
            if norm is not None:  # whether the kaart has every property of the norm
                kaarten[-1]["norm"] = not any(finding.norm for finding in report.findings)
        document: dict[str, Any] = {
            "clean": not problems and all(report.clean for report in reports),
            "kaarten": kaarten,
            "problems": [problem.as_dict() for problem in problems],
            "findings": [finding.as_dict() for finding in findings],
        }
        if norm is not None:
            document["norm"] = {"id": norm.content.id, "file": norm.file}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif output == "github":
        _report("github", [], problems)
        for finding in findings:
            level = "error" if finding.severity == "fout" else "warning"
            where = finding.problem
            file = _escape(where.file, property_value=True)
            print(f"::{level} file={file},line={where.line},col={where.column}::{_escape(finding.message)}")
    else:
        _report("text", [], problems, holding)
        for finding in findings:
            print(f"{finding.problem} [{render('cli-ernst-' + finding.severity, {})}]")
            for example in (finding.example, *finding.examples):
                if example is not None:
                    print("  " + render("cli-voorbeeld", {"feiten": json.dumps(example, ensure_ascii=False)}))
        for report in reports:
            counts = {
                "fouten": str(len(report.errors)),
                "waarschuwingen": str(len(report.findings) - len(report.errors)),
            }
            print(render("cli-check-samenvatting", {"id": report.kaart.id, "versie": report.kaart.version, **counts}))
    failed = problems or any(not report.clean for report in reports)
    return FINDINGS if failed else OK


@contextlib.contextmanager
def _without_networkx() -> Iterator[None]:
    """Import ``dd`` without networkx, which ``dd`` imports whenever it is present (0.13 s) and
    uses only to export a diagram as a graph (``dd.bdd.to_nx``), which ave_rules never does.

    While this is in force, ``import networkx`` fails and ``dd`` records it as not installed. Only
    for this command-line process, where no other thread or user code imports at the same time;
    the library itself leaves imports alone."""
    if "networkx" in sys.modules or "dd" in sys.modules:
        yield
        return
    sys.modules["networkx"] = None  # type: ignore[assignment]  # how Python marks a module as not importable
    try:
        yield
    finally:
        del sys.modules["networkx"]


def _load_or_report(paths: Sequence[str], engine: str) -> list[Regiekaart] | None:
    """The kaarten in ``paths`` (files), or None after reporting why not."""
    from .loading import load

    kaarten, problems = [], []
    for path in paths:
        try:
            kaarten.append(load(path, engine=engine))
        except RegiekaartError as error:
            problems.extend(error.problems)
    if problems:
        _report("text", [], problems)
        return None
    return kaarten


def _simulate(kaart_path: str, cases_path: str, output: str, engine: str, deciding: tuple[str, int]) -> int:
    from .analysis import simulate

    kaarten = _load_or_report([kaart_path], engine)
    if kaarten is None:
        return FINDINGS
    decider, sample = deciding
    try:
        with _Progress() as progress:
            load_ = simulate(kaarten[0], cases_path, decider=decider, sample=sample, progress=progress)
    except (CaseFileError, CrossCheckError) as error:
        return _not_decided(error)
    if output == "json":
        print(json.dumps({"kaart": _ref(kaarten[0]), **load_.as_dict()}, ensure_ascii=False, indent=2))
        return OK
    print(render("cli-simulatie-kop", {"kaart": _name(kaarten[0]), "aantal": _number(load_.cases)}))
    _print_decided(load_)
    _load_tables(kaarten[0], [load_])
    return OK


def _not_decided(error: CaseFileError | CrossCheckError) -> int:
    """Why a case load was not decided: the file's located problems (1), or a disagreement of the
    decision diagrams with the engine (2: the program is at fault, not the file)."""
    if isinstance(error, CaseFileError):
        _report("text", [], error.problems)
        return FINDINGS
    print(f"ave-rules: {error}", file=sys.stderr)
    return USAGE


def _print_decided(load_: Load) -> None:
    """Which engine decided, and how many cases were cross-checked."""
    distinct = _number(load_.distinct)
    if load_.decided_by == "bdd":
        params = {
            "verschillend": distinct,
            "getoetst": _number(load_.cross_checked),
            "engine": load_.checked_against or "-",
        }
        print(render("cli-simulatie-bdd", params))
    else:
        print(render("cli-simulatie-engine", {"verschillend": distinct, "engine": load_.decided_by}))
    if load_.fallback:
        print(render("cli-simulatie-terugval", {"reden": load_.fallback}))
    print()


class _Progress:
    """Progress of reading and deciding a case load, on standard error, only when that is a
    terminal: never in a pipe or a file, never a fact."""

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._stream = getattr(sys.stderr, "_stream", sys.stderr)  # past _TerminalSafe: it writes \r
        self._on = bool(getattr(sys.stderr, "isatty", lambda: False)())
        self._start = self._clock()
        self._stage = ""
        self._written = False

    def __enter__(self) -> _Progress | None:
        return self if self._on else None

    def __exit__(self, *exc: object) -> None:
        if self._written:
            self._stream.write("\r\x1b[K")
            self._stream.flush()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._stage, self._start = stage, self._clock()
        rate = _number(int(done / max(self._clock() - self._start, 1e-6)))
        if stage == "read":
            text = render(
                "cli-voortgang-lezen", {"regels": _number(done), "verschillend": _number(total), "snelheid": rate}
            )
        else:
            text = render(
                "cli-voortgang-beslissen", {"klaar": _number(done), "verschillend": _number(total), "snelheid": rate}
            )
        self._stream.write("\r\x1b[K" + text)
        self._stream.flush()
        self._written = True


def _diff(
    old_path: str, new_path: str, cases_path: str | None, output: str, engine: str, deciding: tuple[str, int]
) -> int:
    from .analysis import diff

    kaarten = _load_or_report([old_path, new_path], engine)
    if kaarten is None:
        return FINDINGS
    decider, sample = deciding
    try:
        with _Progress() as progress:
            result = diff(kaarten[0], kaarten[1], cases_path, decider=decider, sample=sample, progress=progress)
    except (CaseFileError, CrossCheckError) as error:
        return _not_decided(error)
    except DiffError as error:
        print(error, file=sys.stderr)
        return FINDINGS
    if output == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_diff(result)
    return OK


def _print_diff(result: KaartDiff) -> None:
    old, new = result.old, result.new
    print(render("cli-diff-kop", {"oud": _name(old), "nieuw": _name(new), "aantal": _number(result.space_size)}))
    if result.unchanged:
        print(render("cli-diff-gelijk", {}))
    if result.levels:
        print("\n" + render("cli-diff-niveaus", {}))
        for change in result.levels:
            print("  " + render("cli-diff-niveau", {"van": change.old, "naar": change.new, **_share(change.summary)}))
            _print_patterns(change.summary)
    if result.roles:
        print("\n" + render("cli-diff-rollen", {}))
        for role in result.roles:
            params = {
                "rol": role.role.replace("_", " "),
                "niveau": role.old_level
                if role.old_level == role.new_level
                else f"{role.old_level} → {role.new_level}",
                "oud": _holders(old, role.old_holders),
                "nieuw": _holders(new, role.new_holders),
            }
            print("  " + render("cli-diff-rol", {**params, **_share(role.summary)}))
    if result.actions:
        print("\n" + render("cli-diff-acties", {}))
        for action in result.actions:
            text = (new if action.added else old).action_text(*action.action)
            code = "cli-diff-actie-erbij" if action.added else "cli-diff-actie-eraf"
            print("  " + render(code, {"actie": text, **_share(action.summary)}))
            _print_patterns(action.summary)
    if result.real_cases is not None:
        real = result.real_cases
        moved = {"bewogen": str(sum(real.moves.values())), "aantal": str(real.old.cases)}
        print("\n" + render("cli-diff-echt", moved))
        for (a, b), count in real.moves.items():
            print("  " + render("cli-diff-echt-stap", {"van": a, "naar": b, "aantal": str(count)}))
        print()
        _print_decided(real.old)
        if (real.new.decided_by, real.new.fallback) != (real.old.decided_by, real.old.fallback):
            _print_decided(real.new)
        _load_tables(new, [real.old, real.new], old=old)


def _print_patterns(summary: Summary) -> None:
    for pattern in summary.patterns:
        shown = str(pattern) if pattern.conditions else render("cli-diff-alle", {})
        print("    - " + render("cli-diff-patroon", {"patroon": shown, "aandeel": _percent(pattern.share)}))
    if summary.rest:
        print("    - " + render("cli-diff-rest", {"aandeel": _percent(summary.rest_share)}))


def _share(summary: Summary) -> dict[str, str]:
    return {"aandeel": render("cli-diff-aandeel", {"procent": _percent(summary.share)})}


def _number(count: int) -> str:
    text = f"{count:,}"
    return text.replace(",", ".") if get_language() == "nl" else text


def _percent(share: float) -> str:
    """A share as a percentage with three significant digits (a tiny share stays visible)."""
    text = f"{share * 100:.3g}%" if share < 0.01 else f"{share * 100:.1f}%"
    return text.replace(".", ",") if get_language() == "nl" else text


def _load_tables(kaart: Regiekaart, loads: Sequence[Load], old: Regiekaart | None = None) -> None:
    """Per level and per organisation: cases (one column per load: the old and new kaart, or one)."""
    if len(loads) == 2:
        heads = [render("cli-simulatie-oud", {}), render("cli-simulatie-nieuw", {})]
    else:
        heads = [render("cli-simulatie-casussen", {})]
    levels = list(dict.fromkeys([*(old.level_ids if old else ()), *kaart.level_ids]))
    _table(
        render("cli-simulatie-niveau", {}),
        heads,
        [(ident, [str(each.levels.get(ident, 0)) for each in loads]) for ident in levels],
    )
    names = {o.id: o.name for k in (old, kaart) if k is not None for o in k.organisations}
    extra = {r.id: r.name for k in (old, kaart) if k is not None for r in k.extra_roles}
    print()
    for index, load_ in enumerate(loads):
        if len(loads) == 2:
            print(heads[index] + ":")
        held = dict.fromkeys(role for by_role in load_.organisations.values() for role in by_role)
        roles = [extra.get(role) or role.replace("_", " ") for role in held]  # the kaart's roles, extra ones too
        rows = [
            (names[ident], [str(count) for count in by_role.values()])
            for ident, by_role in load_.organisations.items()
            if any(by_role.values())
        ]
        _table(render("cli-simulatie-organisatie", {}), roles, rows)


def _table(first: str, heads: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> None:
    widths = [max([len(first), *(len(label) for label, _ in rows)])]
    widths += [max([len(head), *(len(cells[i]) for _, cells in rows)]) for i, head in enumerate(heads)]
    print("  " + "  ".join(text.ljust(width) for text, width in zip([first, *heads], widths, strict=True)))
    for label, cells in rows:
        padded = [label.ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(cells, widths[1:], strict=True)]
        print("  " + "  ".join(padded))


def _name(kaart: Regiekaart) -> str:
    return f"{kaart.id} {kaart.version}"


def _ref(kaart: Regiekaart) -> dict[str, str]:
    return {"id": kaart.id, "version": kaart.version}


def _holders(kaart: Regiekaart, holders: Sequence[str]) -> str:
    names = {organisation.id: organisation.name for organisation in kaart.organisations}
    return ", ".join(names.get(holder, holder) for holder in holders) or "-"


def _write(text: str, output: str | None) -> int:
    """``text`` to standard output, or to a new file ``output`` (never over an existing one)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return OK
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        print(render("cli-bestand-bestaat", {"bestand": output}), file=sys.stderr)
        return USAGE
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(render("cli-bestand-schrijven", {"bestand": output, "reden": reason}), file=sys.stderr)
        return USAGE
    return OK


def _render(kaart_path: str, output: str, out_file: str | None, *, reference: bool = False, paper: str = "A3") -> int:
    from .authoring import render_html, render_markdown

    kaarten = _load_or_report([kaart_path], AUTO)
    if kaarten is None:
        return FINDINGS
    if output == "html":
        return _write(render_html(kaarten[0], reference=reference, paper=paper), out_file)
    return _write(render_markdown(kaarten[0]), out_file)


def _new(extends: str, gemeente: str, kaart_id: str | None, output: str | None) -> int:
    from .authoring import SCHEMA_PATH, new_kaart

    search = [Path(output).parent] if output else []
    schema = _schema_seen_from(Path(output).parent) if output else None
    try:
        text = new_kaart(extends, gemeente, kaart_id=kaart_id, search=search, schema=schema or SCHEMA_PATH)
    except ScaffoldError as error:
        print(f"ave-rules new: {error}", file=sys.stderr)
        return FINDINGS
    except RegiekaartError as error:
        _report("text", [], error.problems)
        return FINDINGS
    written = _write(text, output)
    if written == OK and output is not None:
        print(render("cli-kaart-geschreven", {"bestand": output}))
        if schema is None:
            where = os.path.normpath(os.path.join(os.path.dirname(output), SCHEMA_PATH))
            print(render("cli-schema-ontbreekt", {"pad": SCHEMA_PATH, "plek": where}), file=sys.stderr)
    return written


def _schema_seen_from(directory: Path) -> str | None:
    """The path from ``directory`` to the nearest ``schemas/regiekaart.schema.json`` in it or
    above it (as the editor resolves a modeline), or None when there is none."""
    start = directory.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "schemas" / "regiekaart.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, start)).as_posix()
    return None


def _evaluate(
    kaart_path: str,
    facts_path: str,
    output: str,
    engine: str,
    out_file: str | None = None,
    day: datetime.date | None = None,
    record_file: str | None = None,
    history: tuple[str | None, str | None] = (None, None),
) -> int:
    from .authoring import explain
    from .loading import load

    errors = "json" if output == "json" else "text"  # with --format json, problems are JSON too
    try:
        kaart = load(kaart_path, engine=engine)
    except RegiekaartError as error:
        return _failed(errors, error.problems)
    facts, problems = _read_facts(facts_path)
    if problems:
        return _failed(errors, problems)
    history_file, case_ref = history
    try:
        if history_file is not None:
            updated, decision, facts = _next_in_history(kaart, facts, day, history_file, case_ref)
            day = decision.reference_date  # the record decides as the history did, time facts included
        if record_file is None and history_file is None:
            decision = kaart.evaluate(facts, day)
        elif record_file is not None:
            from .records import make_record

            record = make_record(kaart, facts, day)
            decision = record.decision
    except FactsError as error:
        if errors == "json":
            return _failed(errors, [{"file": facts_path, **problem.as_dict()} for problem in error.problems])
        for problem in error.problems:
            print(f"{facts_path}: {problem}")
        return FINDINGS
    except HistoryError as error:
        # From the file as read (located), or about the next step (the history file names it).
        named = [p if p.line else dataclasses.replace(p, file=str(history_file)) for p in error.problems]
        if errors == "json":
            return _failed(errors, named)
        for located in named:
            where = f" ({located.path})" if located.path else ""
            print(str(located) if located.line else f"{located.file}: {located.message}{where}")
        return FINDINGS
    if history_file is not None:
        written = _replace(updated.model_dump_json(indent=2) + "\n", history_file)
        if written != OK:
            return written
    if record_file is not None:
        written = _write(record.model_dump_json(indent=2) + "\n", record_file)
        if written != OK:
            return written
    if output == "json":
        return _write(json.dumps(decision.model_dump(mode="json"), ensure_ascii=False, indent=2), out_file)
    if output == "html":
        from .authoring import render_decision_html
        from .records import CASE_REF

        if case_ref is not None and not re.fullmatch(CASE_REF, case_ref):
            print(f"--case: {render('geschiedenis-zaak-ongeldig', {})}", file=sys.stderr)
            return USAGE
        return _write(render_decision_html(kaart, decision, facts=facts, case=case_ref), out_file)
    return _write(explain(kaart, decision), out_file)


def _failed(output: str, problems: Sequence[Problem | dict[str, Any]]) -> int:
    """Why a command could not decide: as text, or as ``{"valid": false, "problems": [...]}``."""
    if output == "json":
        found = [problem if isinstance(problem, dict) else problem.as_dict() for problem in problems]
        print(json.dumps({"valid": False, "problems": found}, ensure_ascii=False, indent=2))
    else:
        _report("text", [], [problem for problem in problems if isinstance(problem, Problem)])
    return FINDINGS


def _next_in_history(
    kaart: Regiekaart, facts: Any, day: datetime.date | None, history_file: str, case_ref: str | None
) -> tuple[CaseHistory, Decision, dict[str, Any]]:
    """The case's history with this decision added, the decision, and the facts it was made on."""
    from .records import CaseHistory, read_history

    if Path(history_file).exists():
        history = read_history(history_file)
    elif case_ref is None:
        raise HistoryError([Problem("cli-geschiedenis-zaak", history_file, 0, 0, "")])
    else:
        history = CaseHistory.start(case_ref, kaart.id)
    updated, decision = history.decide(kaart, facts, day)
    return updated, decision, dict(updated.entries[-1].facts)


def _replace(text: str, output: str) -> int:
    """``text`` as the new content of ``output``, all at once: written beside it, then moved over it."""
    path = Path(output)
    temporary = path.with_name(f".{path.name}.nieuw")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        reason = error.strerror or type(error).__name__
        print(render("cli-bestand-schrijven", {"bestand": output, "reden": reason}), file=sys.stderr)
        return USAGE
    return OK


def _replay(record_path: str, search: Sequence[str], output: str) -> int:
    from .errors import KaartNotFoundError, RecordError
    from .records import read_record, replay

    try:
        result = replay(read_record(record_path), search=search)
    except RecordError as error:
        _report(output, [], error.problems)
        return FINDINGS
    except KaartNotFoundError as error:
        print(f"{record_path}: {error.message}")
        return FINDINGS
    except RegiekaartError as error:  # the record's kaart is found but does not load
        _report(output, [], error.problems)
        return FINDINGS
    if output == "json":
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    elif result.confirmed:
        kaart = result.decision.kaart
        print(f"{record_path}: {render('replay-bevestigd', {'id': kaart.id, 'versie': kaart.version})}")
    else:
        for difference in result.differences:
            print(f"{record_path}: {difference.message}")
    return OK if result.confirmed else FINDINGS


def _actielijst(record_path: str, search: Sequence[str], output: str, out_file: str | None) -> int:
    """The actielijst of a record (or of a history's last decision), with the names from the very
    kaart that decided it."""
    from .authoring import actielijst, actielijst_text, render_actielijst_html
    from .errors import KaartNotFoundError, RecordError
    from .loading import load_id
    from .records import read_decision

    try:
        decision = read_decision(record_path)
        made_by = decision.kaart
        kaart = load_id(made_by.id, search=search, on=decision.reference_date)
    except (RecordError, HistoryError) as error:
        _report("json" if output == "json" else "text", [], error.problems)
        return FINDINGS
    except (KaartNotFoundError, RegiekaartError) as error:
        print(f"{record_path}: {error}")
        return FINDINGS
    if kaart.content_hash != made_by.content_hash:
        code, was, now = (
            ("replay-andere-versie", made_by.version, kaart.version)
            if kaart.version != made_by.version
            else ("replay-kaart-veranderd", made_by.content_hash, kaart.content_hash)
        )
        print(f"{record_path}: {render(code, {'was': was, 'nu': now})}")
        return FINDINGS
    lijst = actielijst(kaart, decision)
    if output == "json":
        return _write(lijst.model_dump_json(indent=2) + "\n", out_file)
    if output == "html":
        return _write(render_actielijst_html(kaart, lijst), out_file)
    return _write(actielijst_text(kaart, lijst), out_file)


def _read_facts(name: str) -> tuple[Any, list[Problem]]:
    """Case facts from a JSON or YAML file (or stdin), through the same hardened reader as kaarten."""
    from .kaart import MAX_BYTES, decode, read_file, read_yaml

    if name == "-":
        raw: bytes | Problem = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        raw = read_file(Path(name))
    if isinstance(raw, Problem):
        return None, [raw]
    text = decode(raw, name)
    if isinstance(text, Problem):
        return None, [text]
    document = read_yaml(text, name, private_keys=True, strict_json=name.lower().endswith(".json"))
    if isinstance(document, list):
        if [problem.code for problem in document] == ["bestand-leeg"]:
            return None, []  # no facts at all: evaluate() says that facts must be a mapping
        return None, document
    return document.data, []


def _escape(text: str, *, property_value: bool = False) -> str:
    """Escape for a GitHub Actions workflow command (its data, or a property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _report(
    output: str, kaarten: Sequence[Regiekaart], problems: Sequence[Problem], holding: Sequence[ScenarioFile] = ()
) -> None:
    """The problems, then each kaart that is valid and each scenario file whose scenarios hold."""
    if output == "json":
        document = {
            "valid": not problems,
            "kaarten": [
                {"id": k.id, "versie": k.version, "bestanden": list(k.source_files), "hash": k.content_hash}
                for k in kaarten
            ],
            "scenariobestanden": [
                {"bestand": f.file, "id": f.kaart.id, "versie": f.kaart.version, "scenarios": len(f.scenarios)}
                for f in holding
            ],
            "problems": [problem.as_dict() for problem in problems],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif output == "github":
        for problem in problems:
            file = _escape(problem.file, property_value=True)
            print(f"::error file={file},line={problem.line},col={problem.column}::{_escape(problem.message)}")
    else:
        for problem in problems:
            print(problem)
        for kaart in kaarten:
            print(
                render(
                    "cli-geldig", {"bestand": ", ".join(kaart.source_files), "id": kaart.id, "versie": kaart.version}
                )
            )
        for scenario_file in holding:
            kaart = scenario_file.kaart
            params = {"bestand": scenario_file.file, "aantal": str(len(scenario_file.scenarios))}
            print(render("cli-scenarios-kloppen", {**params, "id": kaart.id, "versie": kaart.version}))
        if problems:
            print(render("cli-problemen", {"aantal": str(len(problems))}), file=sys.stderr)
