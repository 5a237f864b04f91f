"""Word .docx to text: body paragraphs and table cells in document order."""

from __future__ import annotations

import io
import logging
import zipfile

from ..errors import InputError

log = logging.getLogger(__name__)

__all__ = ["extract", "is_docx"]

# A document.xml this many times larger than the input is a zip bomb, not a transcript.
_MAX_EXPANSION = 40


def is_docx(data: bytes) -> bool:
    """A zip archive holding ``word/document.xml``."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def extract(data: bytes, name: str, max_bytes: int) -> tuple[str, dict[str, str]]:
    """Paragraphs joined by a blank line (runs concatenated), and the core-properties title."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(_corrupt(name)) from exc
    if info.file_size > max(max_bytes, len(data)) * _MAX_EXPANSION:
        raise InputError(
            f"{name} expands to {info.file_size // (1024 * 1024)} MB of document text, "
            f"too large to be a transcript; save the transcript alone as .docx or .txt."
        )

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                paragraphs.append(block.text)
            elif isinstance(block, Table):
                paragraphs.extend(_table_paragraphs(block))
        title = (document.core_properties.title or "").strip()
    except InputError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        log.debug("%s: python-docx failed: %r", name, exc)
        raise InputError(_corrupt(name)) from exc
    text = "\n\n".join(p for p in paragraphs if p.strip())
    return text, ({"title": title} if title else {})


def _table_paragraphs(table) -> list[str]:
    out: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per spanned column
                continue
            seen.add(id(cell._tc))
            for block in cell.iter_inner_content():
                if hasattr(block, "rows"):
                    out.extend(_table_paragraphs(block))
                else:
                    out.append(block.text)
    return out


def _corrupt(name: str) -> str:
    return (
        f"{name} is not a readable Word document (the .docx is damaged or incomplete); "
        f"re-save it from Word, or save it as .txt, and try again."
    )
