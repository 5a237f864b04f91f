"""What the command-line modules share: the one-sentence error exit, the default database and
the options several commands take."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

EXIT_INPUT = 2
DEFAULT_DB = "podium.db"

# --knowledge, as analyze, ingest and compare take it.
KnowledgeOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--knowledge",
        help="Extra knowledge file (officials.txt, outlets.txt, places.txt... grammar); repeatable.",
    ),
]


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """One sentence on stderr and a non-zero exit; never a traceback."""
    # Plain write: Rich would wrap a long path across lines.
    sys.stderr.write(f"podium: error: {' '.join(message.split())}\n")
    raise typer.Exit(code)


def default_db() -> str:
    """The corpus database when --db is not given: $PODIUM_DB, else ./podium.db."""
    return os.environ.get("PODIUM_DB") or DEFAULT_DB
