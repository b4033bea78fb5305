"""Review: posts filtered by a fixed list of fields, and one post with its scores and why.

Filters come from :class:`wildsift.store.web_posts.PostFilter` only; an unknown parameter or a
value outside a filter's list is refused with the field's name, never passed on.
"""

from __future__ import annotations

import re
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wildsift.errors import InputError
from wildsift.privacy.redact import tokens
from wildsift.store import label_log, web_labels, web_posts
from wildsift.store.web_posts import LABEL_STATES, PostFilter
from wildsift.web.context import ctx, user
from wildsift.web.pages import render
from wildsift.web.params import RowId

router = APIRouter()
PAGE = 50
FILTERS = [f.name for f in dataclass_fields(PostFilter)]
COUNTRY = re.compile(r"^[A-Z]{2}$")
CONTACT_KINDS = {"PHONE", "EMAIL", "HANDLE", "URL", "MESSENGER"}  # not NAME: a person


def _choices(context) -> dict[str, list[str]]:
    engine = context.study.store.engine
    return context.cached("choices", lambda: {
        column: web_posts.distinct_values(engine, column)
        for column in ("platform", "lang", "country")})


def parse_filter(params: dict[str, str], context) -> PostFilter:
    """A PostFilter from query parameters; InputError names the first bad one."""
    unknown = set(params) - set(FILTERS) - {"page"}
    if unknown:
        raise InputError(f"unknown filter(s) {sorted(unknown)}; use {FILTERS}")
    values: dict[str, object] = {}
    choices = _choices(context)
    for name, raw in params.items():
        raw = raw.strip()
        if not raw or name == "page":
            continue
        if name in ("min_score", "max_score"):
            try:
                number = float(raw)
            except ValueError:
                raise InputError(f"filter '{name}': give a number from 0 to 1") from None
            if not 0.0 <= number <= 1.0:
                raise InputError(f"filter '{name}': give a number from 0 to 1")
            values[name] = number
        elif name in ("date_from", "date_to"):
            try:
                when = datetime.fromisoformat(raw)
            except ValueError:
                raise InputError(f"filter '{name}': give a date as YYYY-MM-DD") from None
            values[name] = when if when.tzinfo else when.replace(tzinfo=UTC)
        elif name == "decision" and raw not in ("0", "1"):
            raise InputError("filter 'decision': 1 (relevant) or 0 (not)")
        elif name == "label_state" and raw not in LABEL_STATES:
            raise InputError(f"filter 'label_state': one of {', '.join(LABEL_STATES)}")
        elif name == "taxon" and raw not in {key for key, _ in context.taxa}:
            raise InputError("filter 'taxon': not a taxon of the lexicon")
        elif name in ("platform", "lang") and raw not in choices[name]:
            raise InputError(f"filter '{name}': not one of the study's values")
        elif name == "country" and not COUNTRY.match(raw):
            raise InputError("filter 'country': a two-letter code such as VN")
        elif name == "text" and len(raw) > 100:
            raise InputError("filter 'text': 100 characters at most")
        values.setdefault(name, raw)
    return PostFilter(**values)


@router.get("/posts")
def posts(request: Request) -> Response:
    context = ctx(request)
    params = dict(request.query_params)
    try:
        chosen = parse_filter(params, context)
        page = max(int(params.get("page") or 1), 1)
    except (InputError, ValueError) as exc:
        return render(request, "posts.html", status_code=400, error=str(exc), rows=[],
                      total=0, page=1, params=params, choices=_choices(context),
                      taxa=context.taxa, states=LABEL_STATES, pages=1)
    engine = context.study.store.engine
    source = context.cached("decision", lambda: web_posts.decision_source(engine))
    rows, total = web_posts.search(engine, chosen, source, limit=PAGE, offset=(page - 1) * PAGE,
                                   versions=context.score_versions())
    for row in rows:
        row["state"] = context.queue.state_of(row["pk"])
    return render(request, "posts.html", error=None, rows=rows, total=total, page=page,
                  pages=max((total + PAGE - 1) // PAGE, 1), params=params,
                  choices=_choices(context), taxa=context.taxa, states=LABEL_STATES)


@router.get("/posts/{post_pk}")
def post_page(request: Request, post_pk: RowId) -> Response:
    context, me = ctx(request), user(request)
    engine = context.study.store.engine
    post = web_posts.post(engine, post_pk)
    if post is None:
        return Response("no such post", status_code=404)
    contacts = sorted({f"<{kind}:{value}>" for kind, value in tokens(post["text"])
                       if kind in CONTACT_KINDS})
    sharing = {token: web_posts.brief(engine, web_posts.sharing_text(engine, token, post_pk))
               for token in contacts[:10]}
    labels = web_labels.labels_of(engine, post_pk)
    images = web_posts.images_of(engine, post_pk)
    graphic = any(f == "graphic" and v == "1" for f, v, _ in labels)
    hidden = bool(images) and graphic and not me.graphic_opt_in
    from wildsift.web.ordering import cluster_key

    return render(
        request, "post.html", post=post, scores=web_posts.scores_of(
            engine, post_pk, context.score_versions()),
        terms=context.study.store.matches.terms([post_pk]).get(post_pk, []),
        images=[] if hidden else images, graphic_hidden=hidden, contacts=sharing,
        same_images=web_posts.brief(engine, web_posts.sharing_images(engine, post_pk)),
        reposts=web_posts.brief(engine, context.queue.cluster_members(
            cluster_key(post["text"]), post_pk)),
        labels=labels, history=label_log.entries_for(engine, post_pk),
        state=context.queue.state_of(post_pk))
