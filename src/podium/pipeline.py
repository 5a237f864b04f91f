"""Stages and the pipeline that runs them.

A stage is a function ``(doc, ctx) -> None`` with a name, the layers it reads
(``requires``) and the one layer it writes (``provides``) — the one contract
for annotators, after ConvoKit's ``Transformer``. Stages do no I/O and are
deterministic. A user runs a subset by name or adds a stage of their own by
passing a ``Stage`` object; there is no mutable global registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from .knowledge import Knowledge, default_knowledge
from .model import Transcript


@dataclass
class Context:
    """What a stage may use besides the document: the knowledge base and options."""

    knowledge: Knowledge
    options: dict[str, Any] = field(default_factory=dict)
    # Hints from the reader or the caller (title, date, url, publisher) that the text may lack.
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: str
    run: Callable[[Transcript, Context], None]

    def __call__(self, doc: Transcript, ctx: Context) -> None:
        self.run(doc, ctx)


def stage(name: str, requires: tuple[str, ...], provides: str):
    """Decorator that turns a function into a ``Stage``."""

    def wrap(fn: Callable[[Transcript, Context], None]) -> Stage:
        return Stage(name, requires, provides, fn)

    return wrap


@lru_cache(maxsize=1)
def _builtin_stages() -> Mapping[str, Stage]:
    from .stages import (
        clarity,
        entities,
        events,
        exchanges,
        notes,
        relations,
        segment,
        sentences,
        speakers,
    )

    found = [
        segment.segment,
        notes.notes,
        speakers.speakers,
        sentences.sentences,
        entities.entities,
        exchanges.exchanges,
        clarity.clarity,
        events.events,
        relations.relations,
    ]
    return MappingProxyType({s.name: s for s in found})


# The core: turns, notes, speakers and sentences.
CORE_STAGES = ("segment", "notes", "speakers", "sentences")
# What `podium analyze` runs unless told otherwise: the core; names, places and issues (before
# the exchanges, whose sub-questions carry their sentences' places and issues); questions and
# answers; then events and the stances between the sides.
DEFAULT_STAGES = CORE_STAGES + ("entities", "exchanges", "clarity", "events", "relations")


class Pipeline:
    """An ordered list of stages, checked once: every stage's inputs exist before it runs."""

    def __init__(self, stages: Iterable[str | Stage] = DEFAULT_STAGES):
        builtin = _builtin_stages()
        resolved: list[Stage] = []
        for s in stages:
            if isinstance(s, Stage):
                resolved.append(s)
            elif s in builtin:
                resolved.append(builtin[s])
            else:
                raise ValueError(f"unknown stage {s!r}; known stages: {', '.join(builtin)}")
        available = {"text", "meta"}
        for s in resolved:
            missing = [r for r in s.requires if r not in available]
            if missing:
                raise ValueError(f"stage {s.name!r} needs {', '.join(missing)}, which no earlier stage provides")
            available.add(s.provides)
        self.stages = tuple(resolved)

    def __call__(self, doc: Transcript, ctx: Context | None = None) -> Transcript:
        ctx = ctx or Context(knowledge=default_knowledge())
        for s in self.stages:
            s(doc, ctx)
        return doc
