"""podium's web UI and HTTP API over a corpus store (``podium serve``)."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
