"""The hook for urgent flags: what runs when someone flags a post "urgent: live animal".

The flag is stored and shown to researchers at once (the red banner, ``/urgent``) whatever
happens here. :func:`urgent_flagged` then hands an :class:`UrgentFlag` to every function in
``WebContext.urgent_hooks``; the app fills that list with :func:`default_hooks`: when
``[alerts]`` in ``wildsift.toml`` configures a channel (``webhook_url_env``, or ``email_to``
with ``smtp_host``), the monitoring notifier (``wildsift.analysis.monitoring.notify``, the one
``wildsift watch`` uses) sends the flag as an alert of kind ``urgent`` on each channel, in a
background thread so that nobody's labelling waits on a mail server. Tests and plugins append
their own hooks.

What leaves is the post's key, where to look in the app and when: never the post's text, an
author or the flagging person. A hook or channel that fails is logged; the flag and the label
are already stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

log = logging.getLogger("wildsift.web.alerts")


@dataclass(frozen=True)
class UrgentFlag:
    study: str  # the study's name
    post_pk: int
    annotator: str  # the flagging person's pseudonym (for hooks in the app; never sent)
    flagged_at: datetime
    url_path: str  # where in the app to look: /posts/<pk>


UrgentHook = Callable[[UrgentFlag], None]


def as_alert(flag: UrgentFlag) -> dict:
    """The flag in the shape of the monitoring package's alerts (its e-mail text reads it)."""
    when = flag.flagged_at.isoformat(timespec="seconds")
    return {"kind": "urgent", "direction": "live animal", "series": f"post {flag.post_pk}",
            "window": [when, when], "observed": 1, "expected": 0, "score": 1.0,
            "post_pk": flag.post_pk, "path": flag.url_path,
            "note": f"flagged 'urgent: live animal' in the web app: open {flag.url_path}"}


def _monitoring_notifier(study) -> UrgentHook | None:
    """The monitoring notifier, when ``[alerts]`` configures a channel."""
    settings = getattr(study.settings, "alerts", None)
    if settings is None:
        return None
    try:
        from wildsift.analysis.monitoring import notify
    except ImportError:
        return None
    channels = notify.channels(settings)
    if not channels:
        return None
    name = study.settings.study.name

    def send_all(flag: UrgentFlag) -> None:
        for channel in channels:
            try:
                notify.send(channel, settings, name, [as_alert(flag)])
            except Exception:  # NotifyError, or a bug: logged, the flag is stored
                log.exception("urgent flag on post %s not sent by %s", flag.post_pk, channel)

    def hook(flag: UrgentFlag) -> None:
        threading.Thread(target=send_all, args=(flag,), daemon=True,
                         name=f"urgent-{flag.post_pk}").start()

    return hook


def default_hooks(study) -> list[UrgentHook]:
    """The hooks an app starts with: the monitoring notifier where there is one."""
    found = _monitoring_notifier(study)
    return [found] if found is not None else []


def urgent_flagged(context, post_pk: int, annotator: str) -> UrgentFlag:
    """Called by the label route after an urgent flag is stored; runs every hook."""
    flag = UrgentFlag(context.study.settings.study.name, int(post_pk), annotator,
                      datetime.now(UTC), f"/posts/{int(post_pk)}")
    for hook in list(context.urgent_hooks):
        try:
            hook(flag)
        except Exception:  # a notifier's failure must not lose the flag
            log.exception("urgent-flag hook %r failed for post %s", hook, post_pk)
    return flag
