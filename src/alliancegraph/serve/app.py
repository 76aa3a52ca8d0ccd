"""The app factory: one FastAPI app serving the REST API (`/api`), its schema and the web explorer.

The server only reads: an SQLite store is opened with `mode=ro` and a PostgreSQL one with read-only
transactions, every route is a GET, request bodies are refused and query strings are bounded. Errors are translated here, in one place, into
`{"ok": false, "error": str, "status": int}`: as JSON under `/api`, rendered in the page elsewhere.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import URL
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alliancegraph.errors import AllianceGraphError, EntityNotFound, InvalidQuery, StoreError
from alliancegraph.query import Graph, open_graph
from alliancegraph.serve import rest
from alliancegraph.store import read_only_url

log = logging.getLogger("alliancegraph.serve")

WEB = Path(__file__).parent / "web"
VENDOR = WEB / "static" / "vendor"
MAX_QUERY_STRING = 2048
"""The longest query string accepted (bytes); longer requests get a 414."""

_STATUS = (
    (EntityNotFound, 404),
    (rest.UnknownFact, 404),
    (rest.UnknownExport, 404),
    (InvalidQuery, 422),
    (StoreError, 503),
    (AllianceGraphError, 400),
)


def readonly_url(db: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL that opens the store at `db` read-only.

    An SQLite path (or a plain ``sqlite:///path`` URL) becomes ``sqlite:///file:PATH?mode=ro&uri=true``,
    so SQLite itself refuses writes. A PostgreSQL URL gets ``default_transaction_read_only`` (see
    `alliancegraph.store.read_only_url`); other URLs pass through unchanged: give those a read-only role.
    """
    raw = os.fspath(db)
    if raw.startswith("sqlite:///") and "?" not in raw:
        raw = raw.removeprefix("sqlite:///")
    elif "://" in raw:
        return read_only_url(raw)
    path = Path(raw).expanduser().resolve()
    if not path.is_file():
        raise StoreError(
            f"No store at {path}. Ingest articles first (alliancegraph ingest PATH --db {path}), "
            "or give the path of an existing store."
        )
    # SQLite reads the path as a URI (percent-encoded); SQLAlchemy's URL escapes it once more.
    url = URL.create("sqlite", database=f"file:{quote(str(path))}", query={"mode": "ro", "uri": "true"})
    return url.render_as_string()


def create_app(db: str | os.PathLike[str] | Graph) -> FastAPI:
    """The app over the store at `db` (opened read-only), or over an open `Graph`, which the caller
    keeps and closes."""
    graph = db if isinstance(db, Graph) else open_graph(readonly_url(db))
    owned = not isinstance(db, Graph)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            graph.close()

    app = FastAPI(
        title="AllianceGraph",
        summary="An evidence-backed, time-aware graph of automotive alliances, read from the news.",
        version="0.1.0",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.graph = graph
    app.state.templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.add_middleware(GuardRequests)
    _install_error_handlers(app)
    app.include_router(rest.router)
    _add_pages(app)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    if not (VENDOR / ".built").exists():
        log.warning("The web explorer's libraries are missing from %s: run `make web`.", VENDOR)
    return app


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


# -- errors ----------------------------------------------------------------------------------------


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such page: {request.url.path}. The API is described at /docs."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}: this server only reads (GET)."
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, _validation_message(exc))

    @app.exception_handler(AllianceGraphError)
    async def on_ours(request: Request, exc: AllianceGraphError) -> Response:
        status = next(code for cls, code in _STATUS if isinstance(exc, cls))
        if status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc)
        return _error(request, status, str(exc), getattr(exc, "suggestions", ()))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _error(
            request,
            500,
            f"Internal error ({type(exc).__name__}) while serving {request.url.path}. "
            "The server log has the details; please report it.",
        )


def _validation_message(exc: RequestValidationError) -> str:
    """One sentence per bad parameter: where it is, what it was, what is wrong, what to give."""
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        where = f"{loc[0]} parameter {'.'.join(loc[1:])!r}" if len(loc) > 1 else ".".join(loc)
        got = err.get("input")
        shown = f" = {got!r}" if isinstance(got, str | int) else ""
        hint = ""
        kind = str(err.get("type", ""))
        if kind.startswith("date"):
            hint = " Give a date as YYYY-MM-DD, e.g. 2012-03-14."
        elif loc[-1:] == ["limit"] and kind == "less_than_equal":
            hint = f" Pages hold at most {rest.MAX_PAGE} items; use offset to read further."
        elif kind == "missing":
            hint = " It is required."
        parts.append(f"Invalid {where}{shown}: {err.get('msg', 'invalid')}.{hint}")
    return " ".join(parts) or "Invalid request."


def _error(request: Request, status: int, message: str, suggestions: tuple[str, ...] = ()) -> Response:
    body = error_body(status, message)
    if request.url.path.startswith("/api") or request.url.path.endswith(".json"):
        return JSONResponse(body, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "index.html", {"entity": None, "error": body, "suggestions": suggestions}, status_code=status
    )


# -- pages -----------------------------------------------------------------------------------------


def _add_pages(app: FastAPI) -> None:
    templates: Jinja2Templates = app.state.templates

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {"entity": None, "error": None})

    @app.get("/entity/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, name: str) -> Response:
        graph: Graph = request.app.state.graph
        profile = graph.entity(name)  # an unknown name renders the 404 with its suggestions
        return templates.TemplateResponse(
            request, "index.html", {"entity": {"id": profile.id, "name": profile.name}, "error": None}
        )


# -- request limits --------------------------------------------------------------------------------


class GuardRequests:
    """Refuses what a read-only server never needs before any route runs: request bodies (413) and
    overlong query strings (414). Adds headers that keep the page from loading foreign code."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"")
        if chunked or not length.isdigit() or int(length) > 0:
            await _refuse(scope, receive, send, 413, "This server only reads: requests may not carry a body.")
            return
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            await _refuse(
                scope,
                receive,
                send,
                414,
                f"The query string is longer than {MAX_QUERY_STRING} bytes. Shorten it.",
            )
            return

        # FastAPI's /docs page loads Swagger UI from a CDN: the policy would blank it.
        extra = [(b"x-content-type-options", b"nosniff")]
        if not scope["path"].startswith("/docs"):
            extra.append((b"content-security-policy", CSP))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


CSP = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    b"script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)
"""The page loads code and data from this server only (the libraries inject inline styles)."""


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    response = JSONResponse(error_body(status, message), status_code=status)
    await response(scope, receive, send)
