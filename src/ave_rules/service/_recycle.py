"""A worker replaced before the rulesets of reloaded kaarten fill its memory.

durable-rules never frees a ruleset (about 0.35 MB each, docs/performance.md). Texts changed
only, and versions served before, reuse theirs; every new rules version adds one (at its first
case), for the life of the process. After ``limit`` new ones since the worker loaded its
kaarten, the worker ends gracefully (it finishes the requests it has, as on SIGTERM) and
uvicorn's process manager starts a fresh one, which the other workers cover for meanwhile. With
one worker there is no process manager: the worker keeps serving and says, once, that a restart
is due.
"""

from __future__ import annotations

import logging
import os
import random
import signal

from ..engine import registered_rulesets

logger = logging.getLogger("ave_rules.service")


class Recycler:
    def __init__(self, limit: int, *, supervised: bool) -> None:
        self.start = registered_rulesets()
        # Workers reload the same files, so they reach the limit together; each a little apart
        # keeps the others serving while one is replaced.
        self.limit = limit + random.randint(0, limit // 4) if supervised else limit  # noqa: S311 - not secret
        self.supervised = supervised
        self.done = False

    def check(self) -> None:
        """After a reload: end this worker when it has registered ``limit`` new rulesets."""
        added = registered_rulesets() - self.start
        if self.done or added < self.limit:
            return
        self.done = True
        if self.supervised:
            logger.warning("werker %d wordt vervangen: %d nieuwe regelsets sinds de start", os.getpid(), added)
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            logger.warning(
                "herstart de dienst: %d nieuwe regelsets sinds de start houden geheugen vast "
                "(met --workers 2 of meer gebeurt dit vanzelf)",
                added,
            )
