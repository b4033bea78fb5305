"""Passwords, session cookies, CSRF tokens, login throttling and the security headers.

Why each piece: argon2id (argon2-cffi's defaults, RFC 9106) so a stolen users table does not
give passwords away; the session cookie holds a random token signed (itsdangerous) with a key
derived from the study's secret, and the store only the token's sha256, so neither the cookie
alone nor the table alone opens a session; every POST carries a CSRF token tied to the session
(or, before login, to a cookie); failed logins are counted per account and per address; the
Content-Security-Policy allows scripts, styles and images from this server only (no inline
script), so an injected ``<script>`` in a post's text would not run even if escaping failed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "ws_session"
LOGIN_CSRF_COOKIE = "ws_login_csrf"
SESSION_HOURS = 12
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def derived_key(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose from the study's secret (HMAC-SHA256 as a KDF): the session key
    is never the pseudonym key itself."""
    return hmac.new(secret, f"wildsift web: {purpose}".encode(), hashlib.sha256).digest()


def one_time_password() -> str:
    """16 random URL-safe characters (96 bits), shown once by ``wildsift users add``."""
    return secrets.token_urlsafe(12)


class Passwords:
    """argon2id hashing; ``fast=True`` (tests only) lowers the cost."""

    def __init__(self, fast: bool = False):
        self._hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1) if fast \
            else PasswordHasher()
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """True when ``password`` matches; an unknown user costs the same time (no oracle)."""
        try:
            return self._hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


class Signer:
    """Signs the session token and the pre-login CSRF token for cookies."""

    def __init__(self, secret: bytes):
        self._serializer = URLSafeTimedSerializer(derived_key(secret, "session cookie"),
                                                  salt="wildsift-session")

    def sign(self, token: str) -> str:
        return self._serializer.dumps(token)

    def unsign(self, value: str | None, max_age: int = SESSION_HOURS * 3600) -> str | None:
        if not value:
            return None
        try:
            token = self._serializer.loads(value, max_age=max_age)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None


def tokens_equal(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


@dataclass
class LoginThrottle:
    """At most ``per_account`` failed logins per account and ``per_address`` per client
    address in ``window`` seconds; then logins from there are refused until the window ends."""

    per_account: int = 5
    per_address: int = 20
    window: float = 900.0
    _failures: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque:
        times = self._failures[key]
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def blocked(self, account: str, address: str) -> float:
        """Seconds to wait (0: may try now)."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in ((f"a:{account}", self.per_account),
                               (f"ip:{address}", self.per_address)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[0] + self.window - now)
            return max(waits, default=0.0)

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures[f"a:{account}"].append(now)
            self._failures[f"ip:{address}"].append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(f"a:{account}", None)
