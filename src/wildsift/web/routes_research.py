"""Researchers' pages: urgent flags, adjudication of disagreements, agreement, skill, the
label export.

An adjudication decides every question of the form that has choices or a taxon (relevance
first; the others only when the post is relevant): each answer is stored as the label
``adjudicated_<field>`` by the researcher (and logged), the individual answers stay as they
were, so agreement can still be measured on them; the decided answers are gold from then on.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from wildsift.errors import InputError
from wildsift.labels.gold import ADJUDICATED_PREFIX
from wildsift.store import web_labels, web_posts
from wildsift.web.agreement import agreement_table
from wildsift.web.context import ctx, user
from wildsift.web.form import RELEVANT, parse, questions
from wildsift.web.pages import render
from wildsift.web.params import RowId

router = APIRouter()
ADJUDICATED = ADJUDICATED_PREFIX + RELEVANT
DECIDED_KINDS = ("choice", "taxon", "country")  # free text (product, note) is not adjudicated


def decided_questions(context) -> list:
    """The questions an adjudication answers: choices and taxa, relevance first."""
    return [q for q in questions(context.settings.schema_) if q.kind in DECIDED_KINDS]


@router.get("/urgent")
def urgent(request: Request) -> Response:
    engine = ctx(request).study.store.engine
    return render(request, "urgent.html",
                  posts=web_posts.brief(engine, web_labels.open_urgent(engine)))


@router.get("/urgent/count")
def urgent_count(request: Request) -> Response:
    """For the page script that polls, so a new flag shows without a reload."""
    return JSONResponse({"open": len(web_labels.open_urgent(ctx(request).study.store.engine))})


@router.post("/urgent/{post_pk}/ack")
def acknowledge(request: Request, post_pk: RowId) -> Response:
    if web_posts.post(ctx(request).study.store.engine, post_pk) is None:
        return Response("no such post", status_code=404)
    web_labels.write(ctx(request).study.store.engine, post_pk, user(request).annotator,
                     {web_labels.URGENT_ACK: "1"}, action="ack")
    return RedirectResponse("/urgent", status_code=303)


@router.get("/adjudicate")
def disagreements(request: Request) -> Response:
    context = ctx(request)
    engine = context.study.store.engine
    asked = decided_questions(context)
    counted = context.queue.gold.counts
    items = []
    for pk in context.queue.disputed()[:50]:
        labels = web_labels.labels_of(engine, pk)
        answers = []
        for q in asked:
            votes = Counter(v for f, v, who in labels if f == q.name and counted(who))
            ignored = sum(1 for f, _, who in labels if f == q.name and not counted(who))
            answers.append({"question": q, "votes": votes.most_common(), "ignored": ignored,
                            "top": votes.most_common(1)[0][0] if votes else "",
                            "split": len(votes) > 1})
        post = web_posts.post(engine, pk) or {}
        items.append({"pk": pk, "text": post.get("text", ""), "answers": answers})
    return render(request, "adjudicate.html", items=items, taxa=context.taxa)


@router.post("/adjudicate/{post_pk}")
async def adjudicate(request: Request, post_pk: RowId) -> Response:
    context = ctx(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if "value" in form and RELEVANT not in form:  # the one-button form of relevance only
        form[RELEVANT] = form["value"]
    try:
        decided = parse(form, decided_questions(context), {key for key, _ in context.taxa})
    except InputError as exc:
        return Response(str(exc), status_code=400)
    decided = {k: v for k, v in decided.items() if k not in ("urgent", "graphic")}
    engine = context.study.store.engine
    if web_posts.post(engine, post_pk) is None:
        return Response("no such post", status_code=404)
    web_labels.write(engine, post_pk, user(request).annotator,
                     {ADJUDICATED_PREFIX + k: v for k, v in decided.items()},
                     action="adjudicate")
    context.queue.adjudicate(post_pk, decided)
    return RedirectResponse("/adjudicate", status_code=303)


@router.get("/skill")
def skill(request: Request) -> Response:
    """Each person's gold answers and skill, and whether their answers count."""
    context = ctx(request)
    s = context.settings
    return render(request, "skill.html", rows=context.queue.gold.table(),
                  gold_posts=len(context.queue.gold.answers), rate=s.gold_rate,
                  min_skill=s.min_skill, skill_after=s.skill_after)


@router.get("/agreement")
def agreement(request: Request) -> Response:
    frame = ctx(request).study.store.labels.frame()
    return render(request, "agreement.html", table=agreement_table(frame))


@router.get("/export/labels.csv")
def export_labels(request: Request) -> Response:
    """Every label with its annotator's pseudonym (never a name): researchers only."""
    frame = ctx(request).study.store.labels.frame()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["post_id", "field", "value", "annotator", "created_at"])
    for row in frame.itertuples(index=False):
        created = row.created_at.isoformat() if hasattr(row.created_at, "isoformat") else ""
        writer.writerow([row.post_id, row.field, row.value, row.annotator, created])
    return Response(out.getvalue(), media_type="text/csv", headers={
        "Content-Disposition": "attachment; filename=labels.csv"})
