"""Judge the response clarity of question/answer pairs in a CSV file.

``classify_csv(src, dst)`` reads ``src`` (UTF-8, with or without a BOM; fields may hold
newlines), judges each row with ``podium.stages.clarity.judge`` and writes ``dst`` with every
column of ``src`` kept and ``clarity``, ``evasion``, ``confidence`` and ``clarity_cue`` added
(replaced if ``src`` already has them).

The question is the ``question`` column, else ``interview_question`` (QEvasion's layout, where
``question`` is the sub-question and ``interview_question`` the journalist's whole turn); the
answer is ``answer``, else ``interview_answer``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import InputError
from .model import Transcript
from .stages.clarity import judge

__all__ = ["OUTPUT_COLUMNS", "TRANSCRIPT_COLUMNS", "classify_csv", "transcript_rows", "write_rows"]

OUTPUT_COLUMNS = ("clarity", "evasion", "confidence", "clarity_cue")
_QUESTION = ("question", "interview_question")
_ANSWER = ("answer", "interview_answer")


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in columns), None)


def classify_csv(src: Path, dst: Path) -> int:
    """Write ``dst``: ``src``'s rows with their clarity judgment added; return the rows written."""
    src, dst = Path(src), Path(dst)
    try:
        f = src.open(encoding="utf-8-sig", newline="")
    except OSError as e:
        raise InputError(f"{src}: cannot be read ({e.strerror or e}); check the path.") from None
    with f:
        try:
            reader = csv.DictReader(f)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            reader.fieldnames = columns
            q_col, a_col = _pick(columns, _QUESTION), _pick(columns, _ANSWER)
            if q_col is None or a_col is None:
                raise InputError(
                    f"{src} needs a 'question' (or 'interview_question') column and an 'answer' "
                    f"(or 'interview_answer') column; it has {', '.join(columns) or 'no header'}."
                )
            out_cols = [c for c in columns if c not in OUTPUT_COLUMNS] + list(OUTPUT_COLUMNS)
            dst.parent.mkdir(parents=True, exist_ok=True)
            n = 0
            with dst.open("w", encoding="utf-8", newline="") as g:
                writer = csv.DictWriter(g, fieldnames=out_cols, extrasaction="ignore")
                writer.writeheader()
                for row in reader:
                    j = judge(row.get(q_col) or "", row.get(a_col) or "")
                    row.pop(None, None)  # cells beyond the header
                    row.update(
                        clarity=j.clarity,
                        evasion=j.evasion,
                        confidence=f"{j.confidence:.2f}",
                        clarity_cue=j.cue,
                    )
                    writer.writerow(row)
                    n += 1
        except UnicodeDecodeError:
            raise InputError(f"{src} is not UTF-8 text; save it as UTF-8 CSV.") from None
        except csv.Error as e:
            raise InputError(
                f"{src} is not a readable CSV file ({e}); check its quoting."
            ) from None
    return n


# ``podium analyze --format clarity-csv``: a transcript's question/answer pairs in the layout
# ``podium clarity`` reads and writes, one row per answer to a sub-question and one per
# addressee who gave none (status "not answered", answer and clarity empty), so non-answers
# are rows too.
TRANSCRIPT_COLUMNS = (
    "document", "date", "exchange", "sub_question", "questioner", "outlet", "addressee",
    "question", "status", "answerer", "answer_turn", "answer", "link_cue",
) + OUTPUT_COLUMNS  # fmt: skip


def transcript_rows(doc: Transcript) -> list[dict[str, str]]:
    """The question/answer rows of an analysed transcript (see ``TRANSCRIPT_COLUMNS``)."""
    by_id = {s.id: s for s in doc.speakers}

    def name(sid: str | None) -> str:
        s = by_id.get(sid or "")
        return (s.name or s.id) if s else (sid or "")

    rows: list[dict[str, str]] = []
    for ex in doc.exchanges:
        questioner = by_id.get(ex.get("questioner") or "")
        for sq in ex.get("sub_questions") or ():
            base = {
                "document": doc.meta.title or doc.source.name,
                "date": doc.meta.date or "",
                "exchange": ex["id"],
                "sub_question": sq["id"],
                "questioner": name(ex.get("questioner")),
                "outlet": (questioner.outlet or "") if questioner else "",
                "addressee": "; ".join(name(a) for a in sq.get("addressees") or ()),
                "question": sq["text"],
            }
            for ans in sq.get("answers") or ():
                conf = ans.get("confidence")
                rows.append(
                    base
                    | {
                        "status": "answered",
                        "answerer": name(ans.get("speaker")),
                        "answer_turn": ans.get("turn") or "",
                        "answer": ans.get("text") or "",
                        "link_cue": ans.get("cue") or "",
                        "clarity": ans.get("clarity") or "",
                        "evasion": ans.get("evasion") or "",
                        "confidence": "" if conf is None else f"{conf:.2f}",
                        "clarity_cue": ans.get("clarity_cue") or "",
                    }
                )
            for who in sq.get("unanswered_by") or ():
                speaker = by_id.get(who)
                absent = speaker is not None and not speaker.present
                status = "not answered (absent from this transcript)" if absent else "not answered"
                rows.append(base | {"status": status, "answerer": name(who)})
    return rows


def write_rows(rows: list[dict[str, str]], stream) -> None:
    """Write ``transcript_rows`` output as CSV to an open text stream."""
    writer = csv.DictWriter(stream, fieldnames=TRANSCRIPT_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
