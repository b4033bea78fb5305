"""Send new alerts to people: a webhook (an HTTP POST of JSON) and e-mail (SMTP).

Settings come from ``[alerts]`` in wildsift.toml; the webhook URL (which often carries a token)
and SMTP credentials are read from the environment variables the settings name, never from the
file. Each channel is sent and remembered on its own (``wildsift watch`` keeps, per channel, the keys
of the alerts it delivered): a dead webhook does not stop the e-mail, and what failed is sent
again on the next run.
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

import httpx

from wildsift.errors import WildsiftError

TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class NotifyError(WildsiftError):
    """One or more channels failed; ``failures`` names each with its reason."""

    def __init__(self, failures: list[str]):
        super().__init__("could not notify: " + "; ".join(failures))
        self.failures = failures


def _env(name: str | None, what: str) -> str | None:
    if not name:
        return None
    value = os.environ.get(name)
    if not value:
        raise NotifyError([f"{what}: environment variable {name} (named in [alerts]) is not set"])
    return value


def payload(study_name: str, alerts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"study": study_name, "count": len(alerts), "alerts": list(alerts)}


def send_webhook(url: str, body: dict[str, Any], transport: httpx.BaseTransport | None = None
                 ) -> None:
    with httpx.Client(timeout=TIMEOUT, transport=transport) as client:
        response = client.post(url, json=body)
        response.raise_for_status()


def email_text(body: dict[str, Any]) -> str:
    lines = [f"{body['count']} new alert(s) in the wildsift study '{body['study']}':", ""]
    for a in body["alerts"]:
        lines.append(f"- {a['kind']} {a.get('direction', '')}: {a['series']}, "
                     f"{a['window'][0]}..{a['window'][1]}: {a['observed']} observed, "
                     f"{a['expected']} expected (score {a['score']}) {a.get('note', '')}".rstrip())
    lines += ["", "Every alert as JSON:", json.dumps(body["alerts"], indent=1, ensure_ascii=False)]
    return "\n".join(lines)


def send_email(settings: Any, body: dict[str, Any]) -> None:
    message = EmailMessage()
    message["Subject"] = f"[wildsift] {body['count']} new alert(s): {body['study']}"
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message.set_content(email_text(body))
    user = _env(settings.smtp_user_env, "SMTP user")
    password = _env(settings.smtp_password_env, "SMTP password")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if user and password:
            smtp.login(user, password)
        smtp.send_message(message)


def channels(settings: Any) -> list[str]:
    """The channels ``[alerts]`` configures: "webhook", "email"."""
    out = []
    if settings.webhook_url_env:
        out.append("webhook")
    if settings.email_to and settings.smtp_host:
        out.append("email")
    return out


def send(channel: str, settings: Any, study_name: str, alerts: Sequence[dict[str, Any]]) -> None:
    """Send ``alerts`` on one channel ("webhook" or "email"); :class:`NotifyError` if it fails."""
    body = payload(study_name, alerts)
    try:
        if channel == "webhook":
            send_webhook(_env(settings.webhook_url_env, "webhook URL") or "", body)
        elif channel == "email":
            send_email(settings, body)
        else:
            raise ValueError(f"unknown channel {channel!r}")
    except (httpx.HTTPError, OSError, smtplib.SMTPException) as exc:
        raise NotifyError([f"{channel}: {type(exc).__name__}: {exc}"]) from exc
