"""``python -m ave_rules`` works like the ``ave-rules`` command, whose entry point is :func:`run`."""

import signal
import sys


def run() -> None:
    """The ``ave-rules`` command. Ctrl-C ends it quietly with status 130 whenever it comes: while
    the command starts, runs, or has finished and only exits (then the result stands)."""
    try:
        from .cli import main

        code = main()
    except KeyboardInterrupt:
        sys.stderr.write("ave-rules: onderbroken / interrupted\n")
        code = 130
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    run()
