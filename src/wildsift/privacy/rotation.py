"""Rotating a study's secret, and the optional link from old pseudonyms to new ones.

Pseudonyms and contact tokens are keyed hashes (:mod:`wildsift.privacy.pseudonym`) and the
raw ids behind them are never stored, so a new secret cannot re-key what is stored: posts
imported before the rotation keep the old pseudonyms, posts imported after get new ones, and
nothing in the study links the two (the point of rotating, e.g. after the secret was exposed
or before sharing a study's later data).

A study that must keep following the same accounts across the rotation asks for a link
(``wildsift secret rotate --keep-link``): the old secret is kept beside the new one
(``.wildsift-secret.previous``, mode 0600), and from then on ingest writes, for every account
and contact it sees, the pair (old pseudonym or token, new one) to ``pseudonym-links.csv`` in
the study folder. Only pseudonyms and tokens are written, never a raw id; a pair exists only
for accounts and contacts seen again after the rotation. Rotating again without
``--keep-link`` deletes the kept secret, so no later pair can be made.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from wildsift.errors import ConfigError
from wildsift.privacy.pseudonym import Pseudonymizer

PREVIOUS_NAME = ".wildsift-secret.previous"
LINKS_NAME = "pseudonym-links.csv"
LINK_COLUMNS = ("rotation", "kind", "old", "new")


@dataclass(frozen=True)
class Rotation:
    secret_path: Path
    kept_previous: bool
    dropped_previous: bool
    rotation: str  # fingerprint of the new secret (a keyed hash of a constant: reveals nothing)


def fingerprint(secret: bytes) -> str:
    return Pseudonymizer(secret).digest("fingerprint", "rotation", 12)


def _write_secret(path: Path, secret_hex: str) -> None:
    """Write a secret file (mode 0600) atomically: a new file, then renamed over the old."""
    staging = path.with_name(path.name + ".new")
    if staging.exists():
        staging.unlink()
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret_hex + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staging, path)


def rotate_secret(root: Path, secret_path: Path, *, keep_link: bool) -> Rotation:
    """Replace the study's secret with 32 new random bytes. ``keep_link``: keep the old one
    as ``.wildsift-secret.previous`` so that later imports write the old->new link table;
    otherwise any kept previous secret is deleted too."""
    old_hex = secret_path.read_text().strip()
    bytes.fromhex(old_hex)  # a malformed secret file fails here, before anything changes
    previous = root / PREVIOUS_NAME
    dropped = False
    if keep_link:
        _write_secret(previous, old_hex)
    elif previous.exists():
        previous.unlink()
        dropped = True
    new_hex = secrets.token_hex(32)
    _write_secret(secret_path, new_hex)
    return Rotation(secret_path, keep_link, dropped, fingerprint(bytes.fromhex(new_hex)))


def previous_secret(root: Path) -> bytes | None:
    """The secret kept by ``rotate --keep-link``, or ``None``; refused when others can read it."""
    path = root / PREVIOUS_NAME
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"previous secret {path} is readable by others (mode {oct(mode)}); "
                          f"run 'chmod 600 {path}'")
    return bytes.fromhex(path.read_text().strip())


def link_recorder(root: Path, current: bytes) -> LinkRecorder | None:
    """The recorder of (old, new) pairs when the study kept its previous secret, else None.
    Built where it is used (each import worker too): it holds keyed hash states that do not
    pickle."""
    previous = previous_secret(root)
    return LinkRecorder(root / LINKS_NAME, previous, current) if previous is not None else None


class LinkRecorder:
    """Appends (rotation, kind, old, new) rows to ``pseudonym-links.csv``, each pair once per
    process (several import workers may append; readers drop repeated rows)."""

    def __init__(self, path: Path, previous: bytes, current: bytes):
        self.path = path
        self.old = Pseudonymizer(previous)
        self.rotation = fingerprint(current)
        self._seen: set[tuple[str, str]] = set()

    def account(self, platform: str, account_id: str | None, new: str | None) -> None:
        if new is not None:
            self._record("account", self.old.account(platform, account_id) or "", new)

    def token(self, kind: str, identity: str, new: str) -> None:
        old = f"<{kind.upper()}:{self.old.digest('contact', identity, 6)}>"
        self._record(kind, old, new)

    def _record(self, kind: str, old: str, new: str) -> None:
        if not old or (old, new) in self._seen:
            return
        self._seen.add((old, new))
        line = io.StringIO()
        writer = csv.writer(line)
        if not self.path.exists():
            writer.writerow(LINK_COLUMNS)
        writer.writerow((self.rotation, kind, old, new))
        # One small append per new pair: O_APPEND keeps rows whole across processes.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(line.getvalue())


def read_links(root: Path) -> list[dict[str, str]]:
    """The link table's rows, each pair once."""
    path = root / LINKS_NAME
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("rotation") != "rotation"]
    seen, out = set(), []
    for row in rows:
        key = tuple(row[c] for c in LINK_COLUMNS)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
