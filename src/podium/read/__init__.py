"""Readers: raw bytes (a file, stdin, a string) to one normalized document text.

The format is sniffed from the content first (``%PDF-``, a zip holding
``word/document.xml``, HTML markup) and from the file extension second. Whatever the
format, the text is normalized the same way (``\\n`` line endings, NFC, no BOM) and
nothing else: every later offset points into exactly this text.

>>> doc = read_text("Q: Thank you.\\r\\nA: You are welcome.")
>>> doc.text
'Q: Thank you.\\nA: You are welcome.'
>>> doc.format, doc.encoding
('text', 'utf-8')
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from dataclasses import dataclass, field

from ..errors import InputError
from . import docx as _docx
from . import html as _html
from . import pdf as _pdf
from .text import decode, looks_binary, normalize

log = logging.getLogger(__name__)

__all__ = [
    "Document", "DEFAULT_MAX_BYTES", "READABLE", "read_path", "read_bytes", "read_text", "normalize",
]  # fmt: skip

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# The file suffixes a directory is searched for (by `podium analyze DIR` and `podium ingest`).
READABLE = frozenset({".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".docx", ".pdf"})

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Document:
    """A transcript's text as read, before any analysis."""

    text: str  # Unicode NFC, '\n' line endings only, nothing else changed
    name: str  # file name as given (or "<stdin>" / "<text>")
    sha256: str  # hex sha256 of the raw input bytes (text input: of its UTF-8 encoding)
    format: str  # "text" | "html" | "docx" | "pdf"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", ...; "n/a" for docx/pdf
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    meta_hints: dict[str, str] = field(default_factory=dict)  # title, url, date, publisher


def read_path(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a transcript file (.txt, .html, .docx, .pdf; the content decides).

    Raises ``InputError`` (one sentence naming the file) when the file is missing, a
    directory, unreadable, larger than ``max_bytes``, empty, binary or undecodable.
    """
    name = os.fsdecode(path)
    shown = _shown(name)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(_os_message(shown, exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{shown} is a directory, not a file; pass a transcript file inside it.")
    if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
        raise InputError(_too_large(shown, st.st_size, max_bytes))
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(_os_message(shown, exc)) from exc
    return read_bytes(data, name, max_bytes=max_bytes)


def read_bytes(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a transcript from raw bytes; ``name`` labels it (its extension is a hint)."""
    data = bytes(data)
    shown = _shown(name)
    if len(data) > max_bytes:
        raise InputError(_too_large(shown, len(data), max_bytes))
    if not data:
        raise InputError(f"{shown} is empty: nothing to analyse; pass a transcript file.")
    digest = hashlib.sha256(data).hexdigest()
    lower = name.lower()

    if _pdf.is_pdf(data):
        text, hints = _pdf.extract(data, shown)
        return _document(text, name, digest, "pdf", "n/a", [], hints)
    if data.startswith(_ZIP_MAGIC):
        if not _docx.is_docx(data):
            if lower.endswith(".docx"):
                raise InputError(
                    f"{shown} is not a readable Word document (the .docx is damaged or "
                    f"incomplete); re-save it from Word, or save it as .txt, and try again."
                )
            raise InputError(
                f"{shown} is a zip archive, not a transcript; unzip it and pass the "
                f"transcript files inside."
            )
        text, hints = _docx.extract(data, shown, max_bytes)
        return _document(text, name, digest, "docx", "n/a", [], hints)
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{shown} is a legacy or encrypted Microsoft Office file (such as .doc); save "
            f"it as .docx, .pdf or .txt without a password and try again."
        )

    is_html = _html.looks_like_html(data, name)
    if not is_html and looks_binary(data) and lower.endswith((".docx", ".pdf")):
        kind = "Word .docx" if lower.endswith(".docx") else "PDF"
        raise InputError(
            f"{shown} is not a valid {kind} file (its content is neither a {kind} nor "
            f"text); re-export it and try again."
        )
    decoded = decode(data, shown, declared=_html.declared_charset(data) if is_html else None)
    if is_html:
        text, hints = _html.extract(decoded.text)
        if not text.strip():
            raise InputError(
                f"{shown} is an HTML page with no text in its body: nothing to analyse; "
                f"save the transcript page itself (not a frame or script page)."
            )
        return _document(text, name, digest, "html", decoded.encoding, decoded.warnings, hints)
    return _document(decoded.text, name, digest, "text", decoded.encoding, decoded.warnings, {})


def read_text(text: str, name: str = "<text>") -> Document:
    """Wrap already-decoded text: normalize it, nothing more."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _document(text, name, digest, "text", "utf-8", [], {})


def _document(
    text: str,
    name: str,
    digest: str,
    fmt: str,
    encoding: str,
    warnings: list[tuple[str, str]],
    hints: dict[str, str],
) -> Document:
    text = normalize(text)
    if not text.strip():
        shown = _shown(name)
        if fmt == "text":
            what = "is empty" if not text else "contains only whitespace"
        else:
            what = f"is a {fmt} file with no text"
        raise InputError(f"{shown} {what}: nothing to analyse; pass a transcript file.")
    for code, message in warnings:
        log.info("%s: %s", code, message)
    return Document(
        text=text,
        name=name,
        sha256=digest,
        format=fmt,
        encoding=encoding,
        warnings=list(warnings),
        meta_hints=dict(hints),
    )


def _shown(name: str) -> str:
    """The name as it goes into a one-line message."""
    return name.replace("\r", "\\r").replace("\n", "\\n") or "<unnamed>"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _too_large(shown: str, size: int, max_bytes: int) -> str:
    return (
        f"{shown} is {_size(size)}, over the {_size(max_bytes)} limit; split it into "
        f"smaller files or raise the limit (max_bytes, --max-size)."
    )


def _os_message(shown: str, exc: OSError) -> str:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return f"{shown} does not exist: check the path and try again."
    if isinstance(exc, PermissionError):
        return f"{shown} cannot be read (permission denied); check its permissions."
    if isinstance(exc, IsADirectoryError):
        return f"{shown} is a directory, not a file; pass a transcript file inside it."
    reason = exc.strerror or type(exc).__name__
    return f"{shown} cannot be read ({reason}); check the path and try again."
