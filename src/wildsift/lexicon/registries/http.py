"""One HTTP client for the registries: base URL, token header, timeouts, clear errors.

Errors::

    ConfigError
     └── RegistryError          a registry answered with an error or could not be reached
          └── RegistryAuthError a token is missing or refused (says which variable to set)
"""

from __future__ import annotations

import os
from typing import Any, Self

import httpx

from wildsift.errors import ConfigError

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class RegistryError(ConfigError):
    """A registry answered with an error, or could not be reached."""


class RegistryAuthError(RegistryError):
    """The registry needs a token that is missing or was refused."""


def token_from_env(variable: str, registry: str, signup: str) -> str:
    """The token in ``variable``, or an error that says where to get one."""
    token = os.environ.get(variable, "").strip()
    if not token:
        raise RegistryAuthError(f"{registry} needs a token: set the environment variable "
                                f"{variable} (sign up at {signup})")
    return token


class RegistryClient:
    """GET JSON from one registry; 404 is 'not found' (None), other errors raise."""

    def __init__(self, name: str, base_url: str, headers: dict[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self.base_url, headers={"Accept": "application/json", **(headers or {})},
            timeout=TIMEOUT, transport=transport)

    def get(self, path: str, **params: Any) -> Any | None:
        url = f"{self.base_url}{path}"
        try:
            response = self._client.get(path, params={k: v for k, v in params.items()
                                                      if v is not None})
        except httpx.HTTPError as exc:
            raise RegistryError(f"{self.name}: could not reach {url}: {exc}") from exc
        if response.status_code == 404:
            return None
        if response.status_code in (401, 403):
            raise RegistryAuthError(f"{self.name} refused the token ({response.status_code}) "
                                    f"at {url}: check it is current")
        if response.status_code >= 400:
            raise RegistryError(f"{self.name} answered {response.status_code} at {url}: "
                                f"{response.text[:200]}")
        try:
            return response.json()
        except ValueError as exc:
            raise RegistryError(f"{self.name}: {url} did not answer JSON") from exc

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
