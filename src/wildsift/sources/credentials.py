"""Credentials of a live source: from the environment or a file the study names, never the store.

Lookup for a key such as ``client_secret`` of the source named "ebay-us" (type "ebay"):

1. the environment variable the study names for it: ``token_env`` for ``token``, else the option
   ``<key>_env`` (``options = {client_secret_env = "EBAY_SECRET"}``);
2. the default variable ``WILDSIFT_<TYPE>_<KEY>`` (``WILDSIFT_EBAY_CLIENT_SECRET``);
3. the ``[ebay-us]`` table of ``credentials_file`` (TOML, mode 0600, a path relative to the study).

Values are never logged or put in an error message; messages name where a value was looked for.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

from wildsift.errors import ConfigError, CredentialsError


class Credentials:
    """What one ``[[sources]]`` entry may read; ``get`` raises a how-to-fix error when absent."""

    def __init__(self, settings, study_root: Path | None = None,
                 environ: dict[str, str] | None = None):
        self.settings = settings
        self.study_root = Path(study_root) if study_root else None
        self.environ = os.environ if environ is None else environ
        self._file: dict | None = None

    def env_name(self, key: str) -> str:
        """The environment variable that holds ``key`` for this source."""
        if key == "token" and self.settings.token_env:
            return self.settings.token_env
        named = (self.settings.options or {}).get(f"{key}_env")
        if named:
            return str(named)
        return f"WILDSIFT_{self.settings.type.upper()}_{key.upper()}"

    def get(self, key: str, *, required: bool = True, hint: str = "") -> str | None:
        """The value of ``key``; None when absent and not ``required``."""
        value = self.environ.get(self.env_name(key), "").strip()
        if not value:
            entry = self._read_file().get(self.settings.name, {})
            value = str(entry.get(key, "")).strip() if isinstance(entry, dict) else ""
        if value:
            return value
        if not required:
            return None
        where = f"export {self.env_name(key)}=..."
        if self.settings.credentials_file:
            where += f" or set {key} under [{self.settings.name}] in {self._file_path()}"
        raise CredentialsError(
            f"source '{self.settings.name}' ({self.settings.type}) needs its {key}: {where}"
            + (f". {hint}" if hint else ""))

    def _file_path(self) -> Path:
        path = Path(self.settings.credentials_file).expanduser()
        if not path.is_absolute() and self.study_root is not None:
            path = self.study_root / path
        return path

    def _read_file(self) -> dict:
        if self._file is not None:
            return self._file
        self._file = {}
        if not self.settings.credentials_file:
            return self._file
        path = self._file_path()
        if not path.exists():
            raise ConfigError(f"source '{self.settings.name}': credentials_file {path} does not "
                              "exist")
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(f"credentials file {path} is readable by others (mode {oct(mode)})"
                              f"; run 'chmod 600 {path}'")
        try:
            self._file = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        return self._file
