"""Who may use which route: one table, checked on every request, denying what it lacks.

Why one table: a rule next to each route is easy to forget; here a route without a row is
refused (403) for everyone, and ``tests/web/test_access_matrix.py`` walks the app's routes
against this table for every role and for anonymous visitors, so a new route must come with
its rule. Volunteers label only: they never see author pseudonyms, other posts' details or
exports.
"""

from __future__ import annotations

from typing import Final

ROLES: Final = ("admin", "researcher", "annotator", "volunteer")
PUBLIC: Final = frozenset({"anonymous", *ROLES})
SIGNED_IN: Final = frozenset(ROLES)
LABELLERS: Final = SIGNED_IN
REVIEWERS: Final = frozenset({"admin", "researcher", "annotator"})
RESEARCHERS: Final = frozenset({"admin", "researcher"})
ADMINS: Final = frozenset({"admin"})

# (method, path as declared) -> who may call it
RULES: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/static"): PUBLIC,  # the mounted style sheet and keyboard script
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("POST", "/account/preferences"): SIGNED_IN,
    ("GET", "/label"): LABELLERS,
    ("POST", "/label/{post_pk}"): LABELLERS,
    ("POST", "/label/{post_pk}/skip"): LABELLERS,
    ("POST", "/undo"): LABELLERS,
    ("GET", "/media/{sha256}"): LABELLERS,
    ("GET", "/posts"): REVIEWERS,
    ("GET", "/posts/{post_pk}"): REVIEWERS,
    ("GET", "/urgent"): RESEARCHERS,
    ("GET", "/urgent/count"): RESEARCHERS,
    ("POST", "/urgent/{post_pk}/ack"): RESEARCHERS,
    ("GET", "/adjudicate"): RESEARCHERS,
    ("POST", "/adjudicate/{post_pk}"): RESEARCHERS,
    ("GET", "/agreement"): RESEARCHERS,
    ("GET", "/skill"): RESEARCHERS,
    ("GET", "/import"): RESEARCHERS,
    ("POST", "/import/zooniverse"): RESEARCHERS,
    ("GET", "/export/labels.csv"): RESEARCHERS,
    ("GET", "/admin/users"): ADMINS,
    ("POST", "/admin/users"): ADMINS,
    ("POST", "/admin/users/{user_id}/disable"): ADMINS,
}


def allowed(method: str, path: str, role: str | None) -> bool:
    """Whether ``role`` (None: not signed in) may call the route; no rule means no."""
    rule = RULES.get(("GET" if method == "HEAD" else method, path))
    return rule is not None and (role or "anonymous") in rule
