"""``python -m ave_rules`` works like the ``ave-rules`` command, whose entry point is :func:`run`."""

import os
import signal
import sys

INTERRUPTED = 130


def run() -> None:
    """The ``ave-rules`` command. Ctrl-C ends it quietly with status 130 whenever it comes: while
    the command starts, runs, or has finished and only exits (then the result stands)."""
    try:
        from .cli import main

        code = main()
    except KeyboardInterrupt:  # before the command could say it in its own words: the same line
        code = INTERRUPTED
        sys.stderr.write("ave-rules: interrupted\n" if _english() else "ave-rules: onderbroken\n")
    if code == INTERRUPTED:
        _leave(code)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


def _leave(code: int) -> None:
    """End at once with ``code``. A second Ctrl-C while the process unwinds must not turn a quiet
    130 into a death by SIGINT."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stdout.flush()
        sys.stderr.flush()
    except KeyboardInterrupt:
        pass
    os._exit(code)


def _english() -> bool:
    """Whether the messages are English (``--lang en`` or ``AVE_RULES_LANG=en``), read without the library."""
    arguments = sys.argv[1:]
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1] == "en"
        if argument.startswith("--lang="):
            return argument == "--lang=en"
    return os.environ.get("AVE_RULES_LANG", "nl") == "en"


if __name__ == "__main__":
    run()
