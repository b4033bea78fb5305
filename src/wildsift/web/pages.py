"""Rendering a page: the template, the signed-in user, their CSRF token and, for researchers,
the count of posts flagged 'urgent: live animal' that nobody has acknowledged yet."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from wildsift.store import web_labels
from wildsift.web.access import RESEARCHERS
from wildsift.web.context import ctx


def render(request: Request, template: str, status_code: int = 200, **values) -> HTMLResponse:
    context = ctx(request)
    user = getattr(request.state, "user", None)
    urgent = 0
    if user is not None and user.role in RESEARCHERS:
        urgent = len(web_labels.open_urgent(context.study.store.engine))
    values |= {"user": user, "csrf": getattr(request.state, "csrf", None), "urgent": urgent,
               "study_name": context.study.settings.study.name}
    return context.templates.TemplateResponse(request, template, values,
                                              status_code=status_code)
