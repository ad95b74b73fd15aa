"""The decision service: ``ave-rules serve`` offers the kaarten of a directory over HTTP.

For systems not written in Python: REST and JSON by the Dutch API Design Rules, a thin layer over
the library (``docs/service.md`` shows every resource with a real request and response). It needs
the ``service`` extra: ``pip install "ave-rules[service]"``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from ._app import API_VERSION, Contact, by_the_design_rules, create_app
from ._recycle import WORKERS_DIR, CloseWhileDraining, Recycler
from ._store import KaartStore

__all__ = [
    "API_VERSION",
    "Contact",
    "KaartStore",
    "app_from_environment",
    "by_the_design_rules",
    "create_app",
    "openapi_document",
]

#: The settings ``ave-rules serve`` passes to each worker process, with their defaults.
SETTINGS = {
    "AVE_RULES_DIR": "",  # the bundled kaarten
    "AVE_RULES_ENGINE": "auto",
    "AVE_RULES_CHECK_EVERY": "1.0",
    "AVE_RULES_WORKERS": "1",
    "AVE_RULES_RECYCLE_AFTER": "200",
    "AVE_RULES_CONTACT_NAME": Contact().name,
    "AVE_RULES_CONTACT_EMAIL": Contact().email,
    "AVE_RULES_CONTACT_URL": Contact().url,
}


def app_from_environment() -> FastAPI:
    """The service as the environment describes it (``SETTINGS``): the app factory each uvicorn
    worker calls."""
    setting = {name: os.environ.get(name, default) for name, default in SETTINGS.items()}
    directory = Path(setting["AVE_RULES_DIR"]) if setting["AVE_RULES_DIR"] else None
    store = KaartStore(
        directory, engine=setting["AVE_RULES_ENGINE"], check_every=_number(setting, "AVE_RULES_CHECK_EVERY")
    )
    store.refresh(force=True)  # loaded before the worker takes requests, not by the first one
    limit, workers = _number(setting, "AVE_RULES_RECYCLE_AFTER"), _number(setting, "AVE_RULES_WORKERS")
    workers_dir = os.environ.get(WORKERS_DIR)
    recycler = Recycler(
        max(1, int(limit)), supervised=workers > 1, workers_dir=Path(workers_dir) if workers_dir else None
    )
    store.after_reload = recycler.check
    contact = Contact(
        name=setting["AVE_RULES_CONTACT_NAME"],
        email=setting["AVE_RULES_CONTACT_EMAIL"],
        url=setting["AVE_RULES_CONTACT_URL"],
    )
    app = create_app(store, contact)
    app.add_middleware(CloseWhileDraining, recycler=recycler)
    recycler.serving()
    return app


def _number(setting: Mapping[str, str], name: str) -> float:
    try:
        return float(setting[name])
    except ValueError:
        raise ValueError(f"{name}: expected a number, not {setting[name][:20]!r}") from None


def openapi_document(contact: Contact | None = None) -> dict[str, Any]:
    """The service's OpenAPI 3.1 document (``ave-rules schema --openapi``), without loading a kaart."""
    app = create_app(KaartStore(), contact)
    document: dict[str, Any] = app.state.api.openapi()
    return document
