"""The tools from npm that some tests run, as ``.ci/run`` installs them."""

from __future__ import annotations

import os
import shutil

import pytest


def npm_tool(command: str, location: str, required: str, package: str) -> str:
    """The path of ``command``: from environment variable ``location`` (set by ``.ci/run``), else
    on PATH. Where it is missing, the test is skipped with the reason, or fails when environment
    variable ``required`` is 1 (in CI every such test must run)."""
    found = os.environ.get(location) or shutil.which(command)
    if found is None:
        if os.environ.get(required) == "1":
            pytest.fail(f"{required}=1 but {package} (npm) is not installed; see .ci/run")
        pytest.skip(f"{package} (npm) is not installed; .ci/run installs it")
    return found
