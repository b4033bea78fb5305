"""Validate a connector's ``options`` table with its own small pydantic model.

``[[sources]] options`` is free-form in wildsift.toml (each platform has its own); the connector
checks it when it is built, so a typo fails before the first call with the entry and key named.
Keys ending in ``_env`` name environment variables for :class:`Credentials` and are skipped here.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from wildsift.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def parse_options(model: type[M], settings, *, hint: str = "") -> M:
    """``settings.options`` as ``model``; a ConfigError naming ``[[sources]] <name>: options.<key>``
    (``hint``: an example of a right value, added to the message)."""
    raw = {k: v for k, v in (settings.options or {}).items() if not str(k).endswith("_env")}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"]) or "?"
            problems.append(f"options.{key}: {error['msg']}")
        raise ConfigError(f"[[sources]] {settings.name} ({settings.type}): "
                          + "; ".join(problems) + (f" ({hint})" if hint else "")) from None
