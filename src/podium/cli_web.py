"""``podium serve``: the web UI and HTTP API over a corpus database.

``register(app)`` adds the command to the Typer app of ``podium.cli``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .cli_support import default_db
from .cli_support import fail as _fail

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(app: typer.Typer) -> None:
    """Add ``podium serve`` to ``app``."""

    @app.command("serve")
    def serve(
        db: Annotated[
            Path | None,
            typer.Option(
                "--db",
                help="The database to serve (default: $PODIUM_DB or ./podium.db).",
                dir_okay=False,
                show_default=False,
            ),  # fmt: skip
        ] = None,
        host: Annotated[
            str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    ) -> None:
        """Serve the web UI and HTTP API (read-only) over a corpus database.

        Uploads (POST /api/documents) are off unless $PODIUM_TOKEN is set; they then need
        "Authorization: Bearer $PODIUM_TOKEN".
        """
        path = Path(db) if db is not None else Path(default_db())
        if not path.is_file():
            _fail(
                f"no podium database at {path}: create one with `podium ingest FILES --db {path}`."
            )
        try:
            import uvicorn

            from .web import create_app
        except ImportError as e:
            _fail(f"podium serve needs FastAPI, Jinja2 and uvicorn ({e.name} is missing): "
                  "pip install 'fastapi' 'jinja2' 'uvicorn'.")  # fmt: skip
            return
        from .errors import PodiumError
        from .store import Store

        try:  # fail now, with one sentence, rather than on the first request
            Store.open(path, readonly=True).close()
        except PodiumError as e:
            _fail(str(e))
        token = os.environ.get("PODIUM_TOKEN") or None
        # On a loopback address only local host names are served (no DNS rebinding).
        local = ["127.0.0.1", "localhost", "[::1]", "::1"] if host in LOOPBACK else None
        web = create_app(path, token=token, allowed_hosts=local)
        shown = f"[{host}]" if ":" in host else host
        mode = "uploads need the token in $PODIUM_TOKEN" if token else "read-only"
        print(
            f"podium: serving {path} at http://{shown}:{port}/ ({mode}; Ctrl+C stops it)",
            flush=True,
        )
        if host not in LOOPBACK:
            print(f"podium: note: listening on {host}, reachable from other machines", flush=True)
        try:
            uvicorn.run(
                web,
                host=host,
                port=port,
                log_level="warning",
                server_header=False,
                proxy_headers=False,
                timeout_keep_alive=5,
            )
        except OSError as e:
            _fail(f"cannot listen on {host}:{port} ({e.strerror or e}); choose another --port.")
