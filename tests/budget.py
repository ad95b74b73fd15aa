"""How many examples a property test draws under the Hypothesis profile in force (``conftest.py``)."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("AVE_RULES_TEST_PROFILE", "dev") == "ci"


def examples(dev: int, ci: int) -> int:
    """``dev`` examples while working (the default profile), ``ci`` in the thorough run of ``.ci/run``."""
    if ci < dev:
        raise ValueError("the thorough run checks at least as much as the quick one")
    return ci if THOROUGH else dev
