"""Labelling: the next post and its form, answers, skip and undo, and the post's images.

Every answer is stored at once (labels and the hash-chained log in one transaction), so a
closed tab loses nothing. Volunteers see the redacted text and blurred images only; nobody
sees an author pseudonym here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from wildsift.errors import InputError
from wildsift.store import web_labels, web_posts
from wildsift.store.label_log import Entry
from wildsift.web import media
from wildsift.web.alerts import urgent_flagged
from wildsift.web.context import ctx, user
from wildsift.web.form import FLAGS, parse, questions
from wildsift.web.gold import GOLD
from wildsift.web.params import RowId

router = APIRouter()
REASONS = {"uncertain", "unscored", "random", "undone", "gold"}
NOT_UNDONE = {web_labels.URGENT_ACK}  # a researcher's other acts (and adjudicated_*)


def _graphic(engine, pk: int) -> bool:
    return any(f == "graphic" and v == "1" for f, v, _ in web_labels.labels_of(engine, pk))


def label_page(request: Request, pk: int, reason: str, error: str | None = None,
               status_code: int = 200) -> Response:
    from wildsift.web.pages import render

    context, me = ctx(request), user(request)
    engine = context.study.store.engine
    post = web_posts.post(engine, pk) or {}
    post.pop("author", None)  # no one labels by who wrote it; volunteers never see it
    images = web_posts.images_of(engine, pk)
    hidden = bool(images) and not me.graphic_opt_in and _graphic(engine, pk)
    return render(request, "label.html", status_code=status_code, post=post, reason=reason,
                  score=web_posts.relevance_of(engine, pk, context.score_versions()),
                  terms=context.study.store.matches.terms([pk]).get(pk, []),
                  images=[] if hidden else images, graphic_hidden=hidden,
                  questions=questions(context.settings.schema_), taxa=context.taxa,
                  flags=FLAGS, error=error,
                  cluster=context.queue.order.cluster_size.get(pk, 1))


@router.get("/label")
def next_post(request: Request) -> Response:
    from wildsift.web.pages import render

    me = user(request)
    found = ctx(request).queue.next_for(me.annotator, me.languages,
                                        volunteer=me.role == "volunteer")
    if found is None:
        return render(request, "label_done.html")
    return label_page(request, *found)


@router.post("/label/{post_pk}")
async def answer(request: Request, post_pk: RowId) -> Response:
    context, me = ctx(request), user(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    taxa = {key for key, _ in context.taxa}
    try:
        values = parse(form, questions(context.settings.schema_), taxa,
                       redact=context.redactor.redact)
    except InputError as exc:
        return label_page(request, post_pk, form.get("reason", "uncertain"), str(exc), 400)
    if web_posts.post(context.study.store.engine, post_pk) is None:
        return Response("no such post", status_code=404)
    # why the post was served, as the queue knows it (the form's word only when it does not)
    reason = context.queue.served_as(post_pk, me.annotator)
    if reason is None and form.get("reason") != GOLD:
        reason = form.get("reason")
    if reason in REASONS - {"undone"}:
        values["queue_reason"] = reason
    web_labels.write(context.study.store.engine, post_pk, me.annotator, values)
    if values.get("urgent") == "1":
        from wildsift.store.label_log import append

        with context.study.store.engine.begin() as conn:
            append(conn, [Entry(post_pk, "urgent", "urgent", "1", me.annotator)])
        urgent_flagged(context, post_pk, me.annotator)
    context.queue.labelled(post_pk, me.annotator, values, me.role)
    return RedirectResponse("/label", status_code=303)


@router.post("/label/{post_pk}/skip")
def skip(request: Request, post_pk: RowId) -> Response:
    ctx(request).queue.skipped(post_pk, user(request).annotator)
    return RedirectResponse("/label", status_code=303)


@router.post("/undo")
def undo(request: Request) -> Response:
    context, me = ctx(request), user(request)
    last = context.queue.last_of(me.annotator)
    given = {}
    if last is not None and last[0] != "skip":
        given = {f: v for f, v, who in web_labels.labels_of(context.study.store.engine, last[1])
                 if who == me.annotator and f not in NOT_UNDONE
                 and not f.startswith("adjudicated_")}
    undone = context.queue.undo(me.annotator, given)
    if undone is not None and undone[0] == "label":
        web_labels.remove(context.study.store.engine, undone[1], me.annotator, list(given))
    return RedirectResponse("/label", status_code=303)


@router.get("/media/{sha256}")
def image(request: Request, sha256: str) -> Response:
    me = user(request)
    data, kind = media.served(ctx(request), sha256, whole=me.role == "volunteer")
    if data is None:
        return Response("no such image", status_code=404)
    return Response(data, media_type=kind, headers={"Cache-Control": "private, max-age=600"})
