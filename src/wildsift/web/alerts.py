"""The hook for urgent flags: what runs when someone flags a post "urgent: live animal".

The flag is stored and shown to researchers at once (the red banner, ``/urgent``) whatever
happens here. :func:`urgent_flagged` then hands an :class:`UrgentFlag` to every function in
``WebContext.urgent_hooks``; the app fills that list with :func:`default_hooks`, which connects
``wildsift.analysis.monitoring``'s notifier (webhook / e-mail) when that module has one and the
study's ``wildsift.toml`` has an ``[alerts]`` section. Tests and plugins append their own.

What a hook gets is the post's key and the flagging person's pseudonym, never post text or a
name: a notification says "post 123 was flagged", and people open the app to see it. A hook
that fails is logged and never loses the flag or the label.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

log = logging.getLogger("wildsift.web.alerts")


@dataclass(frozen=True)
class UrgentFlag:
    study: str  # the study's name
    post_pk: int
    annotator: str  # the flagging person's pseudonym
    flagged_at: datetime
    url_path: str  # where in the app to look: /posts/<pk>


UrgentHook = Callable[[UrgentFlag], None]


def _monitoring_notifier(study) -> UrgentHook | None:
    """The monitoring package's notifier, when it exists and ``[alerts]`` is configured."""
    if getattr(study.settings, "alerts", None) is None:
        return None
    try:
        from wildsift.analysis.monitoring import notify  # type: ignore[attr-defined]
    except ImportError:
        return None
    send = getattr(notify, "notify_urgent", None) or getattr(notify, "notify", None)
    if send is None:
        return None

    def hook(flag: UrgentFlag) -> None:
        send(study, flag)

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
