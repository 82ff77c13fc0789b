"""The web page for planners at ``/``: plain HTML, JavaScript and CSS shipped in the package (no CDN)."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

__all__ = ["STATIC", "add_page_routes"]

#: The page's files: ``index.html``, ``app.js`` and ``style.css``.
STATIC = resources.files(__package__) / "static"


def add_page_routes(app: FastAPI) -> None:
    """Serve the page at ``/`` and its files under ``/static/``.

    Examples
    --------
    >>> (STATIC / "index.html").read_text(encoding="utf-8").count("cdn")
    0
    """

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        html = (STATIC / "index.html").read_bytes()
        return Response(content=html, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(packages=[("facility_sizing.service", "static")]), name="static")
