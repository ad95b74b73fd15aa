"""An author's editor helps with every kaart this project gives them a start with.

Checked with the real yaml-language-server (the server behind VS Code's YAML extension and other
editors), spoken to over the Language Server Protocol as an editor does: a kaart made with
``ave-rules new``, and the example gemeente repository's kaart and scenario file, get diagnostics
from their schema through their first line, and completion of what may be written there.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest
from tools import npm_tool

from ave_rules.cli import main
from ave_rules.kaart import regiekaart_schema, scenario_file_schema, schema_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld"
SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
Message = dict[str, Any]


def test_the_example_repository_carries_the_published_schemas() -> None:
    assert (EXAMPLE / "schemas" / "regiekaart.schema.json").read_text(encoding="utf-8") == schema_json()
    scenarios = (EXAMPLE / "schemas" / "scenarios.schema.json").read_text(encoding="utf-8")
    assert scenarios == schema_json(scenario_file_schema())
    settings = json.loads((EXAMPLE / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert set(settings["yaml.schemas"]) == {"./schemas/regiekaart.schema.json", "./schemas/scenarios.schema.json"}


class _Editor:
    """The editor's side of the protocol: requests, notifications, and answers to the server's
    own questions (its settings)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.messages: queue.Queue[Message] = queue.Queue()
        self.count = 0
        assert process.stdout is not None
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers: dict[str, str] = {}
            while (line := stream.readline().decode("ascii").strip()) != "":
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            if "content-length" not in headers:
                return  # the server has gone
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _send(self, message: Message) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: Message) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Message) -> Any:
        self.count += 1
        number = self.count
        self._send({"id": number, "method": method, "params": params})
        return self.wait(lambda message: message.get("id") == number and "method" not in message)["result"]

    def wait(self, wanted: Callable[[Message], bool], timeout: float = 60) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.5)
            except queue.Empty:
                continue
            if "method" in message and "id" in message:  # the server asks: settings, or nothing we keep
                items = message.get("params", {}).get("items", [])
                answer = [SETTINGS for _ in items] if message["method"] == "workspace/configuration" else None
                self._send({"id": message["id"], "result": answer})
            elif wanted(message):
                return message
        raise TimeoutError("yaml-language-server did not answer")

    def open(self, path: Path, text: str) -> list[Message]:
        """Open ``path`` with ``text``; the diagnostics the server publishes for it."""
        uri = path.resolve().as_uri()
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
        )
        published = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        )
        diagnostics: list[Message] = published["params"]["diagnostics"]
        return diagnostics

    def complete(self, path: Path, line: int, character: int) -> set[str]:
        position = {
            "textDocument": {"uri": path.resolve().as_uri()},
            "position": {"line": line, "character": character},
        }
        result = self.request("textDocument/completion", position)
        items = result["items"] if isinstance(result, dict) else result
        return {item["label"] for item in items}


@contextmanager
def _editor(root: Path) -> Iterator[_Editor]:
    server = npm_tool("yaml-language-server", "AVE_RULES_YAML_LS", "AVE_RULES_REQUIRE_YAML_LS", "yaml-language-server")
    process = subprocess.Popen(
        [server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        editor = _Editor(process)
        capabilities = {
            "workspace": {"configuration": True},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}},
        }
        editor.request(
            "initialize", {"processId": os.getpid(), "rootUri": root.resolve().as_uri(), "capabilities": capabilities}
        )
        editor.notify("initialized", {})
        editor.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})
        yield editor
    finally:
        process.kill()
        process.wait(timeout=30)


def _complains_of(diagnostics: list[Message], key: str, line: int) -> bool:
    return any(key in d["message"] and d["range"]["start"]["line"] == line for d in diagnostics)


def test_a_kaart_made_with_ave_rules_new_gets_diagnostics_and_completion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As the tutorial does it: the schema first, then the kaart, in a folder below the schemas.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "regiekaart.schema.json").write_text(schema_json(regiekaart_schema()), encoding="utf-8")
    kaart = tmp_path / "regiekaarten" / "zuidstad.yaml"
    assert main(["new", "--extends", "ave-generiek", "--gemeente", "Zuidstad", "--output", str(kaart)]) == 0
    capsys.readouterr()
    text = kaart.read_text(encoding="utf-8")
    lines = text.count("\n")
    with _editor(tmp_path) as editor:
        assert editor.open(kaart, text) == []  # as made: nothing to complain of
        broken = text + "regels:\n  - \nbreid_uit: ave-generiek\n"
        editor.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": kaart.resolve().as_uri(), "version": 2}, "contentChanges": [{"text": broken}]},
        )
        published = editor.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["diagnostics"]
        )
        assert _complains_of(published["params"]["diagnostics"], "breid_uit", lines + 2)
        assert {"nieuwe regel", "id", "als", "dan"} <= editor.complete(kaart, lines + 1, 4)
        assert {"niveaus", "organisaties", "actietypen"} <= editor.complete(kaart, lines + 3, 0)


@pytest.mark.parametrize(
    "document",
    ["regiekaarten/voorbeeldgemeente.yaml", "scenarios/voorbeeldgemeente.scenarios.yaml"],
    ids=["kaart", "scenarios"],
)
def test_the_example_repositorys_files_get_diagnostics_from_their_own_schema(tmp_path: Path, document: str) -> None:
    shutil.copytree(EXAMPLE, tmp_path, dirs_exist_ok=True)
    path = tmp_path / document
    text = path.read_text(encoding="utf-8")
    with _editor(tmp_path) as editor:
        assert editor.open(path, text) == []
        path_two = path.with_name("kopie-" + path.name)
        diagnostics = editor.open(path_two, text + "onbekende_sleutel: 1\n")
    assert _complains_of(diagnostics, "onbekende_sleutel", text.count("\n"))
    schema = "scenarios" if "scenarios" in document else "regiekaart"
    assert all(f"schemas/{schema}.schema.json" in json.dumps(d.get("data", {})) for d in diagnostics)
