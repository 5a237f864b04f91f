"""Stage ``relations``: where the two sides of a press conference agree and disagree.

For each pair of principals' countries and each focus (a country or an issue), a stance —
``agree``, ``disagree`` or ``mixed`` — with the sentences that show it. The evidence is the
``events`` layer: an act between the two countries counts for agreement when it is a mutual
AGREE ("The United States and Russia agree on the goal of…", "On this we both agree"),
SUPPORT or COOPERATE, and for disagreement when it is REJECT, ACCUSE, THREATEN, PROTEST,
SANCTION, COERCE or ASSAULT ("On Venezuela, we have disagreement"; "we do not recognize
Russia's attempted annexation"). Talks, requests, aid, promises and negated acts say nothing
about a stance.

The focus is what the act is about: a fronted topic ("On Venezuela, …"), else the countries
its clause names besides the pair, else the sentence's issues (the ``entities`` stage's, when
it ran before), else those of the nearest earlier sentence of the same paragraph ("…North
Korea and its nuclear program. The United States and Russia agree on the goal of the
denuclearization"), else the relationship itself (``bilateral_relations``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from ..model import Sentence, Transcript
from ..pipeline import Context, stage
from .events import Mention, Resolver, main_clauses, mentions

__all__ = ["AGREEING", "DISAGREEING", "relations"]

AGREEING = frozenset({"AGREE", "SUPPORT", "COOPERATE"})
DISAGREEING = frozenset(
    {"REJECT", "ACCUSE", "THREATEN", "PROTEST", "SANCTION", "COERCE", "ASSAULT"}
)
_TOPIC = re.compile(
    r"^\W*(?:and |so |now |finally, |first, |second, |also, )?(?:on|as for|as to|regarding|"
    r"with regard to|with respect to|concerning|turning to|on the (?:issue|question|subject) of)"
    r"\s+(?P<topic>[^,;:]{2,60})[,;:]",
    re.I,
)
_FALLBACK_FOCUS = "bilateral_relations"
_LOOKBACK = 3  # earlier sentences of the paragraph searched for a focus


class _Foci:
    """The focus of an event's sentence (what each sentence names is found once)."""

    def __init__(self, doc: Transcript, resolve: Resolver) -> None:
        self.doc = doc
        self.resolve = resolve
        self.index = {s.id: i for i, s in enumerate(doc.sentences)}
        self.named: dict[str, tuple[list[str], list[Mention], list[str]]] = {}

    def _named(self, s: Sentence) -> tuple[list[str], list[Mention], list[str]]:
        """(fronted topic, countries named, issues) of one sentence."""
        if s.id not in self.named:
            m = _TOPIC.match(s.text)
            topic = (
                [x.code for x in mentions(m.group("topic"), self.resolve) if x.code] if m else []
            )
            places = [x for x in mentions(s.text, self.resolve) if x.code]
            self.named[s.id] = (topic, places, list(s.issues))
        return self.named[s.id]

    def _own(self, s: Sentence, pair: tuple[str, str], at: int | None = None) -> list[str]:
        topic, places, issues = self._named(s)
        if at is not None:
            # only the clause of the act: "I think we agree on this – … we get China involved"
            starts = main_clauses(s.text.lower())
            k = bisect.bisect_right(starts, at) - 1
            end = starts[k + 1] if k + 1 < len(starts) else len(s.text)
            places = [p for p in places if starts[k] <= p.start < end]
        others = [p.code for p in places if p.code not in pair]
        return list(dict.fromkeys(topic or others or issues))

    def of(self, sentence_id: str, pair: tuple[str, str], at: int | None = None) -> list[str]:
        """Foci of the act at offset ``at`` of sentence ``sentence_id``."""
        i = self.index[sentence_id]
        s = self.doc.sentences[i]
        found = self._own(s, pair, at)
        for j in range(i - 1, max(-1, i - 1 - _LOOKBACK), -1):
            if found:
                return found
            prev = self.doc.sentences[j]
            if prev.turn != s.turn or "\n" in self.doc.text[prev.end : s.start]:
                break  # only the same paragraph of the same turn
            found = self._own(prev, pair)
        return found or [_FALLBACK_FOCUS]


def _stance(signs: Iterable[int]) -> str:
    signs = set(signs)
    if signs == {1}:
        return "agree"
    if signs == {-1}:
        return "disagree"
    return "mixed"


@stage("relations", requires=("events",), provides="relations")
def relations(doc: Transcript, ctx: Context) -> None:
    sides = {s.country for s in doc.speakers if s.role == "principal" and s.country}
    foci = _Foci(doc, Resolver(ctx.knowledge, doc.meta.date))
    order = {s.id: i for i, s in enumerate(doc.sentences)}
    sentences = {s.id: s for s in doc.sentences}
    found: dict[tuple[tuple[str, str], str], list[tuple[int, str, str]]] = {}
    for e in doc.events:
        if e.get("negated"):
            continue
        sign = 1 if e["type"] in AGREEING else -1 if e["type"] in DISAGREEING else 0
        if e["type"] == "AGREE" and not e.get("mutual"):
            sign = 0  # a promise or an offer is no shared position
        source, target = e.get("source"), e.get("target")
        if not sign or source not in sides or target not in sides or source == target:
            continue
        pair = tuple(sorted((source, target)))
        at = e["start"] - sentences[e["sentence"]].start if "start" in e else None
        for focus in foci.of(e["sentence"], pair, at):
            found.setdefault((pair, focus), []).append((sign, e["sentence"], e["id"]))
    out = []
    for (pair, focus), items in found.items():
        evidence = sorted(dict.fromkeys(sid for _, sid, _ in items), key=order.__getitem__)
        out.append(
            {
                "actors": list(pair),
                "focus": focus,
                "stance": _stance(sign for sign, _, _ in items),
                "evidence": evidence,
                "events": list(dict.fromkeys(eid for _, _, eid in items)),
            }
        )
    out.sort(key=lambda r: order[r["evidence"][0]])
    doc.relations = out
