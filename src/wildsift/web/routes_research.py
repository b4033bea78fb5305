"""Researchers' pages: urgent flags, adjudication of disagreements, agreement, the label export.

An adjudication is stored as the label ``adjudicated_relevant`` by the researcher (and logged):
the individual answers stay as they were, so agreement can still be measured on them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from wildsift.store import web_labels, web_posts
from wildsift.web.agreement import agreement_table
from wildsift.web.context import ctx, user
from wildsift.web.pages import render

router = APIRouter()
ADJUDICATED = "adjudicated_relevant"


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
def acknowledge(request: Request, post_pk: int) -> Response:
    web_labels.write(ctx(request).study.store.engine, post_pk, user(request).annotator,
                     {web_labels.URGENT_ACK: "1"}, action="ack")
    return RedirectResponse("/urgent", status_code=303)


@router.get("/adjudicate")
def disagreements(request: Request) -> Response:
    context = ctx(request)
    engine = context.study.store.engine
    items = []
    for pk in context.queue.disputed()[:50]:
        labels = web_labels.labels_of(engine, pk)
        votes = Counter(v for f, v, _ in labels if f == "relevant")
        post = web_posts.post(engine, pk) or {}
        items.append({"pk": pk, "text": post.get("text", ""), "votes": sorted(votes.items()),
                      "fields": sorted({(f, v) for f, v, _ in labels
                                        if f not in ("relevant", "queue_reason")})})
    return render(request, "adjudicate.html", items=items)


@router.post("/adjudicate/{post_pk}")
def adjudicate(request: Request, post_pk: int, value: str = Form(...)) -> Response:
    if value not in ("0", "1"):
        return Response("field 'value': 1 (relevant) or 0 (not)", status_code=400)
    context = ctx(request)
    web_labels.write(context.study.store.engine, post_pk, user(request).annotator,
                     {ADJUDICATED: value}, action="adjudicate")
    context.queue.adjudicate(post_pk)
    return RedirectResponse("/adjudicate", status_code=303)


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
