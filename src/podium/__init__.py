"""podium: press-conference transcripts into a structured record of who said what.

>>> import podium
>>> doc = podium.analyze("examples/sochi-2019-05-14-voltaire.txt")
>>> doc.meta.publisher
'Voltaire Network'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import InputError, PodiumError
from .knowledge import Knowledge
from .model import Transcript
from .pipeline import DEFAULT_STAGES, Context, Pipeline, Stage
from .read import DEFAULT_MAX_BYTES, Document, read_bytes, read_path, read_text

__all__ = [
    "analyze",
    "analyze_document",
    "Transcript",
    "Pipeline",
    "Stage",
    "Context",
    "Knowledge",
    "InputError",
    "PodiumError",
    "DEFAULT_STAGES",
]
__version__ = "0.1.0"


def analyze(
    source: str | os.PathLike | bytes,
    *,
    name: str | None = None,
    meta: Mapping[str, str] | None = None,
    stages: Iterable[str | Stage] | Pipeline = DEFAULT_STAGES,
    max_bytes: int = DEFAULT_MAX_BYTES,
    knowledge: Knowledge | None = None,
) -> Transcript:
    """Analyse a transcript given as a path, raw bytes or text.

    A ``str`` that names an existing file is read as that file; any other ``str``
    is the transcript's text. ``meta`` gives what the text may not say
    (``title``, ``date``, ``publisher``, ``url``); the text wins where it says it.
    ``knowledge`` replaces the bundled knowledge base (``Knowledge.load(extra=[...])``
    extends it with your own officials, outlets or places).
    Raises ``InputError`` with one clear sentence when the input cannot be read.
    """
    if isinstance(source, bytes):
        doc = read_bytes(source, name or "<bytes>", max_bytes=max_bytes)
    elif isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and len(source) < 4096 and _is_file(source)
    ):
        doc = read_path(source, max_bytes=max_bytes)
        if name:
            doc.name = name
    elif isinstance(source, str) and _looks_like_path(source):
        doc = read_path(source, max_bytes=max_bytes)  # raises InputError: no such file
    elif isinstance(source, str):
        doc = read_text(source, name or "<text>")
    else:
        raise TypeError(f"analyze() takes a path, bytes or str, not {type(source).__name__}")
    return analyze_document(doc, meta=meta, stages=stages, knowledge=knowledge)


def analyze_document(
    doc: Document,
    *,
    meta: Mapping[str, str] | None = None,
    stages: Iterable[str | Stage] | Pipeline = DEFAULT_STAGES,
    knowledge: Knowledge | None = None,
) -> Transcript:
    """Run the pipeline over a document a reader has already produced."""
    from .knowledge import default_knowledge
    from .model import Meta, Source

    pipeline = stages if isinstance(stages, Pipeline) else Pipeline(stages)
    hints = {k: v for k, v in {**doc.meta_hints, **(meta or {})}.items() if v}
    if "date" not in hints:
        # A dated file name ("sochi-2019-05-14-voltaire.txt") is the last resort for the date.
        found = _ISO_DATE.search(doc.name)
        if found:
            hints["date"] = found.group(0)
    transcript = Transcript(
        text=doc.text,
        source=Source(name=doc.name, sha256=doc.sha256, format=doc.format, encoding=doc.encoding),
        meta=Meta(),
    )
    for code, message in doc.warnings:
        transcript.warn(code, message)
    return pipeline(transcript, Context(knowledge=knowledge or default_knowledge(), hints=hints))


_ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")
_PATH_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".docx", ".pdf", ".json")


def _looks_like_path(s: str) -> bool:
    """A one-line string that names a file rather than holding a transcript."""
    s = s.strip()
    return "\n" not in s and len(s) < 1024 and " " not in s and s.lower().endswith(_PATH_SUFFIXES)


def _is_file(s: str) -> bool:
    try:
        return Path(s).is_file()
    except (OSError, ValueError):
        return False
