"""What the command-line modules share: the one-sentence error exit and the default database."""

from __future__ import annotations

import os
import sys

import typer

EXIT_INPUT = 2
DEFAULT_DB = "podium.db"


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """One sentence on stderr and a non-zero exit; never a traceback."""
    # Plain write: Rich would wrap a long path across lines.
    sys.stderr.write(f"podium: error: {' '.join(message.split())}\n")
    raise typer.Exit(code)


def default_db() -> str:
    """The corpus database when --db is not given: $PODIUM_DB, else ./podium.db."""
    return os.environ.get("PODIUM_DB") or DEFAULT_DB
