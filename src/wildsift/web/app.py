"""The FastAPI app: the access guard on every route, security headers on every answer.

``create_app(study)`` refuses to build without the study's secret (the session key is derived
from it). Pages are rendered on the server (Jinja2, autoescaped); the only script is
``static/keys.js`` (keyboard labelling), served from here as the Content-Security-Policy wants.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from wildsift.study import Study
from wildsift.web import access
from wildsift.web.context import HERE, WebContext
from wildsift.web.security import HEADERS, LOGIN_CSRF_COOKIE, SESSION_COOKIE, tokens_equal

MAX_FORM = 256 * 1024  # bytes of any request body but an upload (label forms are small)
OPEN_WHILE_MUST_CHANGE = {"/account", "/account/password", "/logout", "/static"}


class Redirect(Exception):
    def __init__(self, location: str):
        self.location = location


class Denied(Exception):
    def __init__(self, status: int, reason: str):
        self.status, self.reason = status, reason


async def guard(request: Request) -> None:
    """Who is asking, may they, and (on POST) is the CSRF token theirs."""
    context: WebContext = request.app.state.ctx
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    found = context.signer.unsign(request.cookies.get(SESSION_COOKIE))
    session = context.users.session(found) if found else None
    user, csrf = session if session else (None, None)
    request.state.user, request.state.csrf, request.state.token = user, csrf, found
    if not access.allowed(request.method, path, user.role if user else None):
        if user is None and request.method in ("GET", "HEAD"):
            raise Redirect("/login")
        raise Denied(401 if user is None else 403,
                     "sign in first" if user is None else "your role may not do this")
    if user is not None and user.must_change and path not in OPEN_WHILE_MUST_CHANGE:
        raise Redirect("/account")
    if request.method == "POST":
        form = await request.form()
        given = form.get("csrf") or request.headers.get("x-csrf-token")
        expected = csrf if user is not None else context.signer.unsign(
            request.cookies.get(LOGIN_CSRF_COOKIE), max_age=3600)
        if not tokens_equal(expected, given if isinstance(given, str) else None):
            raise Denied(403, "the form is stale (CSRF check failed): reload the page")


class SecurityHeaders:
    """Pure ASGI middleware: the headers of security.HEADERS on every response."""

    def __init__(self, app, https: bool):
        self.app = app
        extra = [(b"strict-transport-security", b"max-age=31536000")] if https else []
        self.headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()] + extra

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        return await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Pure ASGI middleware: a request body larger than its limit is refused (413) while it
    arrives, whether or not it says its length, before any form is parsed or spooled."""

    def __init__(self, app, default: int, larger: dict[str, int]):
        self.app, self.default, self.larger = app, default, larger

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = next((n for prefix, n in self.larger.items()
                      if scope["path"].startswith(prefix)), self.default)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _too_large(send, limit)
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def watched(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)


async def _too_large(send, limit: int) -> None:
    body = f"the request is larger than {limit // 1024} KiB".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(study: Study, *, https: bool = False, fast_hashing: bool = False,
               build_queue: bool = True) -> FastAPI:
    """The web app of ``study``. ``https``: cookies marked Secure and HSTS sent (behind TLS).
    ``build_queue=False`` builds the labelling queue on first use instead of at start."""
    context = WebContext(study, https=https, fast_hashing=fast_hashing)
    app = FastAPI(title="wildsift", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard)])
    app.state.ctx = context
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(Redirect)
    async def _redirect(_request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(Denied)
    async def _denied(_request: Request, exc: Denied) -> Response:
        return PlainTextResponse(exc.reason, status_code=exc.status)

    from wildsift.web import (
        routes_account,
        routes_import,
        routes_label,
        routes_research,
        routes_review,
    )

    for module in (routes_account, routes_label, routes_review, routes_research, routes_import):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, default=MAX_FORM,
                       larger={"/import/": routes_import.MAX_UPLOAD + 64 * 1024})
    app.add_middleware(SecurityHeaders, https=https)
    if build_queue:
        context.queue  # noqa: B018  (built now, so the first person does not wait)
    return app
