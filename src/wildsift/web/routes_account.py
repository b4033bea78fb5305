"""Signing in and out, one's own account (password, graphic-image opt-in), and the admin's
user list. Accounts are made with ``wildsift users add`` or on /admin/users; both show a
one-time password that must be changed at first sign-in."""

from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from wildsift.errors import InputError
from wildsift.store.users import ROLES
from wildsift.study import KNOWN_LANGUAGES
from wildsift.web.access import RESEARCHERS
from wildsift.web.context import ctx, user
from wildsift.web.pages import render
from wildsift.web.params import RowId
from wildsift.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_HOURS,
    one_time_password,
)

router = APIRouter()
MIN_PASSWORD = 12


def _cookie(response: Response, name: str, value: str, https: bool, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, secure=https,
                        samesite="strict", path="/")


@router.get("/login")
def login_page(request: Request, error: str | None = None) -> Response:
    context = ctx(request)
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", error=error, login_csrf=token)
    _cookie(response, LOGIN_CSRF_COOKIE, context.signer.sign(token), context.https, 3600)
    return response


@router.post("/login")
def login(request: Request, name: str = Form(...), password: str = Form(...)) -> Response:
    context = ctx(request)
    login_key = context.login_of(name)
    address = request.client.host if request.client else "?"
    wait = context.throttle.blocked(login_key, address)
    if wait > 0:
        return render(request, "login.html", status_code=429, login_csrf=None,
                      error=f"Too many failed sign-ins: try again in {int(wait // 60) + 1} min.")
    found = context.users.by_login(login_key)
    if not context.passwords.verify(found.password_hash if found else None, password) \
            or found is None or found.disabled:
        context.throttle.failed(login_key, address)
        return RedirectResponse("/login?error=1", status_code=303)
    context.throttle.succeeded(login_key)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    context.users.open_session(found.id, token, csrf, timedelta(hours=SESSION_HOURS))
    response = RedirectResponse("/account" if found.must_change else "/", status_code=303)
    _cookie(response, SESSION_COOKIE, context.signer.sign(token), context.https,
            SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    if request.state.token:
        ctx(request).users.close_session(request.state.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request) -> Response:
    """Researchers land on the posts (the urgent banner is on every page), others label."""
    role = user(request).role
    return RedirectResponse("/posts" if role in RESEARCHERS else "/label", status_code=303)


@router.get("/account")
def account(request: Request, changed: int = 0) -> Response:
    return render(request, "account.html", changed=changed, error=None,
                  min_password=MIN_PASSWORD)


@router.post("/account/password")
def change_password(request: Request, current: str = Form(...), new: str = Form(...),
                    again: str = Form(...)) -> Response:
    context, me = ctx(request), user(request)
    error = None
    if not context.passwords.verify(me.password_hash, current):
        error = "The current password is wrong."
    elif len(new) < MIN_PASSWORD:
        error = f"The new password needs {MIN_PASSWORD} characters or more."
    elif new != again:
        error = "The two new passwords differ."
    elif new == current:
        error = "Choose a password other than the one-time one."
    if error:
        return render(request, "account.html", status_code=400, error=error, changed=0,
                      min_password=MIN_PASSWORD)
    context.users.update(me.id, password_hash=context.passwords.hash(new), must_change=False)
    return RedirectResponse("/login", status_code=303)  # every session ends: sign in again


@router.post("/account/preferences")
def preferences(request: Request, graphic: str = Form("0")) -> Response:
    ctx(request).users.update(user(request).id, graphic_opt_in=graphic == "1")
    return RedirectResponse("/account?changed=1", status_code=303)


@router.get("/admin/users")
def users_page(request: Request) -> Response:
    return render(request, "users.html", people=ctx(request).users.all(), roles=ROLES,
                  created=None, error=None)


@router.post("/admin/users")
def add_user(request: Request, name: str = Form(...), role: str = Form(...),
             languages: str = Form("")) -> Response:
    context = ctx(request)
    try:
        created = create_user(context, name, role, languages)
    except InputError as exc:
        return render(request, "users.html", status_code=400, people=context.users.all(),
                      roles=ROLES, created=None, error=str(exc))
    return render(request, "users.html", people=context.users.all(), roles=ROLES,
                  created=created, error=None)


@router.post("/admin/users/{user_id}/disable")
def disable_user(request: Request, user_id: RowId) -> Response:
    if user_id == user(request).id:
        return render(request, "users.html", status_code=400, people=ctx(request).users.all(),
                      roles=ROLES, created=None, error="You cannot disable yourself.")
    ctx(request).users.update(user_id, disabled=True)
    return RedirectResponse("/admin/users", status_code=303)


def parse_languages(text: str) -> list[str]:
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in wanted if lang not in KNOWN_LANGUAGES]
    if unknown:
        raise InputError(f"field 'languages': unknown code(s) {unknown}; use codes such as "
                         "en, vi, zh-Hans")
    return wanted


def create_user(context, name: str, role: str, languages: str) -> tuple[str, str]:
    """Make an account; returns (name, one-time password) to show once."""
    name = name.strip()
    if not name or len(name) > 64:
        raise InputError("field 'name': give 1 to 64 characters")
    if role not in ROLES:
        raise InputError(f"field 'role': use one of {', '.join(ROLES)}")
    password = one_time_password()
    context.users.add(context.login_of(name), context.annotator_of(name), role,
                      parse_languages(languages), context.passwords.hash(password))
    return name, password
