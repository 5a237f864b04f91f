"""PDF to text through its text layer (pypdf); scanned PDFs need OCR first."""

from __future__ import annotations

import io
import logging

from ..errors import InputError

log = logging.getLogger(__name__)

__all__ = ["extract", "is_pdf"]


def is_pdf(data: bytes) -> bool:
    """The ``%PDF-`` header (some writers put a few junk bytes before it)."""
    return b"%PDF-" in data[:1024]


def extract(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    """Page texts joined by a blank line (PDF titles are too often junk to hint with)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Owner-password-only PDFs (printing restricted) open with an empty password.
            try:
                if not reader.decrypt(""):
                    raise InputError(_encrypted(name))
            except (DependencyError, NotImplementedError, FileNotDecryptedError) as exc:
                raise InputError(_encrypted(name)) from exc
        pages = []
        for page in reader.pages:
            text = page.extract_text() or ""
            if text.strip():
                pages.append(text.strip("\n"))
    except InputError:
        raise
    except FileNotDecryptedError as exc:
        raise InputError(_encrypted(name)) from exc
    except Exception as exc:  # pypdf raises many kinds (PdfReadError, ...) on a damaged file
        log.debug("%s: pypdf failed: %r", name, exc)
        raise InputError(
            f"{name} is a damaged PDF that cannot be read; re-export it as PDF or save "
            f"the transcript as .txt and try again."
        ) from exc
    if not pages:
        raise InputError(
            f"{name} has no text layer (a scanned PDF?); run OCR first (e.g. ocrmypdf) "
            f"or pass the transcript as text."
        )
    return "\n\n".join(pages), {}


def _encrypted(name: str) -> str:
    return (
        f"{name} is an encrypted (password-protected) PDF; remove the password "
        f"(e.g. qpdf --decrypt) or save the transcript as .txt and try again."
    )
