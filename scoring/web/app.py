"""The web application of ``zonescore serve``: the tuning page and its API (FastAPI).

Every answer comes from :class:`scoring.web.session.Session`, i.e. from the functions the CLI
commands call; the page computes nothing itself. Every refused request gets a 4xx JSON answer
with the CLI's words (:class:`scoring.web.models.ErrorAnswer`), never a traceback. With a
``token``, every request must carry it (header ``X-Zonescore-Token``, query ``token`` or the
cookie the page gets when opened with ``?token=``).
"""
from __future__ import annotations

import json
import secrets
from importlib import resources

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import OptionError, Problem, ZonescoreError
from ..messages import tr
from .models import ErrorAnswer, LineRecord, PageSetup, RobustnessRequest, WhatifRequest
from .session import Session, weight_options, weight_texts

MAX_BODY = 64 * 1024  # bytes of one request body
TOKEN_HEADER, TOKEN_COOKIE = "X-Zonescore-Token", "zonescore_token"
STATIC_TYPES = {"app.js": "text/javascript", "app.css": "text/css", "echarts.min.js": "text/javascript"}


def error_answer(error: ZonescoreError, status: int = 400) -> JSONResponse:
    body = ErrorAnswer(error=str(error), summary=error.summary,
                       problems=[vars(problem) for problem in error.problems])
    return JSONResponse(body.model_dump(), status_code=status)


def refused(status: int, summary: str, problem: str, found=None, expected=None) -> JSONResponse:
    return error_answer(OptionError(summary, [Problem(problem, found=found, expected=expected)]), status)


def create_app(session: Session, token: str | None = None, hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The application around ``session``; with ``token``, requests without it are refused (401);
    with ``hosts``, requests naming another host are refused (400: a web page elsewhere cannot
    reach a server on 127.0.0.1 through a name of its own, "DNS rebinding")."""
    app = FastAPI(title="zonescore", docs_url=None, redoc_url=None, openapi_url=None)
    add_guards(app, token, hosts)
    add_page(app, session)
    add_api(app, session)
    return app


def add_guards(app: FastAPI, token: str | None, hosts: tuple[str, ...] | None) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next):
        host = _host_name(request.headers.get("host", ""))
        if hosts is not None and host not in hosts:
            return refused(400, tr("Access refused"), tr("this server answers only to its own address"),
                           found=repr(host), expected=", ".join(hosts))
        if token is not None and not _carries(request, token):
            return refused(401, tr("Access refused"), tr("this server needs its access token"),
                           expected=tr("the address zonescore serve printed, with ?token=..."))
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return _too_large(length)
        response = await call_next(request)
        if token is not None and request.query_params.get("token") == token:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.exception_handler(ZonescoreError)
    async def library_error(_request, error: ZonescoreError):
        return error_answer(error, 400)

    @app.exception_handler(RequestValidationError)
    async def shape_error(_request, error: RequestValidationError):
        problems = [Problem(tr("not what this request takes"), field=".".join(str(p) for p in e["loc"]),
                            found=repr(e.get("input"))[:80]) for e in error.errors()]
        return error_answer(OptionError(tr("Invalid request"), problems), 422)

    @app.exception_handler(Exception)
    async def unexpected(_request, error: Exception):  # a bug: say so, without a traceback
        return refused(500, tr("Internal error"), tr("zonescore could not answer this request; please report it"),
                       found=type(error).__name__)


def _host_name(header: str) -> str:
    """``127.0.0.1:8000`` -> ``127.0.0.1``, ``[::1]:8000`` -> ``[::1]``, ``localhost`` -> ``localhost``."""
    if header.startswith("["):
        return header[:header.find("]") + 1]
    return header.rsplit(":", 1)[0] if ":" in header else header


def _carries(request: Request, token: str) -> bool:
    given = (request.headers.get(TOKEN_HEADER) or request.query_params.get("token")
             or request.cookies.get(TOKEN_COOKIE) or "")
    return secrets.compare_digest(given.encode(), token.encode())


def _too_large(length) -> JSONResponse:
    return refused(413, tr("Request too large"), tr("the request body is larger than the server takes"),
                   found=tr("{count} bytes", count=length), expected=tr("at most {count} bytes", count=MAX_BODY))


async def body_of(request: Request, model):
    """The request body as ``model``: at most MAX_BODY bytes of JSON (NaN allowed through: the
    weight checks refuse it with the CLI's words)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _BodyTooLarge(len(body))
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise OptionError(tr("Invalid request"), [Problem(tr("the body is not JSON"), found=str(error)[:80],
                                                          expected='{"weights": {"growth": 50}}')]) from None
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None


class _BodyTooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def add_page(app: FastAPI, session: Session) -> None:
    language = _language(session)

    @app.get("/", response_class=HTMLResponse)
    def page():
        html = _static("index.html").decode("utf-8").replace("{{lang}}", "zh-CN" if language == "zh" else "en")
        return HTMLResponse(html.replace("{{title}}", _escape(session.baseline.assessment.spec.title)))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status_code=204)

    @app.get("/static/{name}")
    def static(name: str):
        if name not in STATIC_TYPES:
            return refused(404, tr("Not found"), tr("no such file"), found=repr(name))
        return Response(_static(name), media_type=STATIC_TYPES[name] + "; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})


def _static(name: str) -> bytes:
    if name == "echarts.min.js":
        from ..assets import echarts_js

        return echarts_js().encode("utf-8")
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _language(session: Session) -> str:
    from ..report.words import language

    return language(session.baseline.assessment.spec)


def add_api(app: FastAPI, session: Session) -> None:
    def json_answer(text: str) -> Response:
        return Response(text, media_type="application/json; charset=utf-8")

    @app.exception_handler(_BodyTooLarge)
    async def too_large(_request, error: _BodyTooLarge):
        return _too_large(error.size)

    @app.get("/api/setup", response_model=PageSetup)
    def setup():
        from .page import page_setup

        return page_setup(session)

    @app.get("/api/assessment")
    def assessment():
        return json_answer(session.assessment_text())

    @app.post("/api/whatif")
    async def whatif(request: Request):
        asked = await body_of(request, WhatifRequest)
        return json_answer(await _in_thread(session.whatif_text, weight_texts(asked.weights), asked.keep_total))

    @app.post("/api/lines", response_model=list[LineRecord])
    async def lines(request: Request):
        asked = await body_of(request, WhatifRequest)
        return await _in_thread(session.lines, weight_texts(asked.weights), asked.keep_total)

    @app.post("/api/robustness")
    async def robustness(request: Request):
        asked = await body_of(request, RobustnessRequest)
        return json_answer(await _in_thread(session.robustness_text, weight_texts(asked.weights), asked.keep_total,
                                            asked.draws, asked.spread, asked.seed))

    add_explain(app, session)
    from .downloads import add_downloads

    add_downloads(app, session)


def add_explain(app: FastAPI, session: Session) -> None:
    """``GET /api/explain/UNIT?weight=NODE=VALUE&format=json|text|markdown``: ``zonescore explain``."""

    @app.get("/api/explain/{unit}")
    def explain(unit: str, weight: list[str] = Query(default=[]), keep_total: bool = False,
                format: str = "json"):
        if format not in ("json", "text", "markdown"):
            return refused(400, tr("Invalid --format option"), tr("unknown format"), found=repr(format),
                           expected="json, text, markdown")
        weights = weight_options(weight)
        session.scenario_result(weights, keep_total)  # bad weights: 400, with the CLI's words
        try:
            text = session.explain_text(unit, weights, keep_total, format)
        except OptionError as error:  # the weights were fine (checked first): the unit is unknown
            return error_answer(error, 404)
        media = "application/json" if format == "json" else "text/plain"
        return Response(text, media_type=media + "; charset=utf-8")


async def _in_thread(function, *args):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)
