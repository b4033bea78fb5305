"""What every request handler needs, made once when the app starts (held by the app, not a
module global, so two studies can be served by two apps in one process, as tests do)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.sift.learn.queue import annotator_pseudonym
from wildsift.store.users import User, Users
from wildsift.study import Study
from wildsift.web.security import LoginThrottle, Passwords, Signer

HERE = Path(__file__).parent


def login_key(pseudonyms: Pseudonymizer, name: str) -> str:
    """What the users table holds instead of a user name: a keyed hash of it, lower-cased."""
    return pseudonyms.digest("web-login", name.strip().lower(), 32)


@dataclass
class WebContext:
    study: Study
    https: bool = False
    fast_hashing: bool = False  # tests: cheaper argon2 parameters
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

    def __post_init__(self) -> None:
        secret = self.study.secret  # raises (ConfigError) when the study has none: no start
        self.pseudonyms = Pseudonymizer(secret)
        self.signer = Signer(secret)
        self.passwords = Passwords(fast=self.fast_hashing)
        self.users = Users(self.study.store.engine)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.settings = self.study.settings.labeling
        from wildsift.web.alerts import default_hooks

        self.urgent_hooks = default_hooks(self.study)  # web/alerts.py: run on each urgent flag

    def cached(self, key: str, compute, ttl: float = 60.0):
        """A value that is costly to read and may be a minute old (score versions, lists)."""
        cache = self.__dict__.setdefault("_cache", {})
        hit = cache.get(key)
        if hit is None or hit[0] < time.monotonic():
            hit = cache[key] = (time.monotonic() + ttl, compute())
        return hit[1]

    def score_versions(self) -> list[tuple[str, str]]:
        return self.cached("versions", self.study.store.scores.versions)

    @cached_property
    def redactor(self):
        from wildsift.privacy.redact import Redactor

        return Redactor(self.pseudonyms, self.study.settings.privacy.phone_regions)

    def login_of(self, name: str) -> str:
        return login_key(self.pseudonyms, name)

    def annotator_of(self, name: str) -> str:
        return annotator_pseudonym(self.pseudonyms, name)

    @cached_property
    def taxa(self) -> list[tuple[str, str]]:
        """(key, label) of every lexicon taxon: the taxon question's type-ahead list."""
        from wildsift.lexicon import Lexicon

        lexicon = Lexicon.for_study(self.study)
        out = []
        for key, taxon in sorted(lexicon.taxa.items()):
            names = taxon.common_names.get("en") or []
            out.append((key, f"{taxon.scientific_name}" + (f" ({names[0]})" if names else "")))
        return out

    @cached_property
    def queue(self):
        from wildsift.web.queue import WorkQueue

        return WorkQueue.for_study(self.study)


def ctx(request: Request) -> WebContext:
    return request.app.state.ctx


def user(request: Request) -> User:
    """The signed-in user (the access guard has checked there is one)."""
    return request.state.user
