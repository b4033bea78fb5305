"""Trade intent, captive-bred claims and scam cues among the relevant posts, overall and per platform.

Reads the latest ``heads`` stage fields of each post (see :mod:`wildsift.sift.stages.heads`) with its
``relevant`` flag, in keyset batches, keeping only the relevant posts (all posts while nothing is
sifted). A post counts as claiming captive-bred/legal origin when ``captive_bred >= 0.5`` and as a
likely scam when ``scam >= 0.5``; each cue count is the number of posts whose ``scam_cues``
(or ``origin_claims``) name it. Media reuse is re-read from the store at report time (a picture
reposted after a post was scored makes it "reused" too), so every number can be redone from the
store.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from wildsift.study import Study

HEAD_FIELDS = ("intent", "intent_method", "captive_bred", "captive_bred_method", "origin_claims",
               "scam", "scam_cues", "scam_method")
INTENTS = ("offer", "wanted", "news_awareness", "other")
THRESHOLD = 0.5
REUSED = "reused_image"


def load_trade_frame(study: Study, batch_size: int = 50_000) -> pd.DataFrame:
    """pk, platform, relevant and the head fields of the relevant (else all) posts."""
    store = study.store
    versions = store.scores.versions()
    kept, everything, sifted = [], [], False
    for batch in store.posts.iter(["pk", "platform"], batch_size=batch_size):
        lo, hi = int(batch["pk"].iloc[0]), int(batch["pk"].iloc[-1])
        scores = store.scores.latest_between(("relevant", *HEAD_FIELDS), lo, hi,
                                             versions=versions).rename(columns={"post_pk": "pk"})
        frame = batch.merge(scores, on="pk", how="left") if len(scores) else batch.copy()
        for name in ("relevant", *HEAD_FIELDS):
            if name not in frame:
                frame[name] = None
        relevant = pd.to_numeric(frame["relevant"], errors="coerce")
        sifted = sifted or bool(relevant.notna().any())
        kept.append(frame[relevant == 1])
        if not sifted:
            everything.append(frame)
    parts = kept if sifted else everything
    columns = ["pk", "platform", "relevant", *HEAD_FIELDS]
    return (pd.concat(parts, ignore_index=True)[columns] if parts
            else pd.DataFrame(columns=columns))


@dataclass
class TradeSummary:
    """Counts and shares (of ``scored``: kept posts the heads scored) of each intent, claim and
    cue; ``by_platform`` has one row per platform; ``methods`` says how each head decided."""

    posts: int
    scored: int
    intents: pd.DataFrame  # intent, posts, share
    captive_bred: int
    claims: pd.DataFrame  # claim, posts, share
    scam: int
    scam_cues: pd.DataFrame  # cue, posts, share
    by_platform: pd.DataFrame  # platform, scored, <intents...>, captive_bred, scam, shares
    methods: dict[str, list[str]] = field(default_factory=dict)

    def share(self, count: int) -> float | None:
        return count / self.scored if self.scored else None


def _names(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).map(lambda v: {n for n in v.split(",") if n})


def _counts(sets: pd.Series, key: str, scored: int) -> pd.DataFrame:
    exploded = sets.map(sorted).explode().dropna()
    table = exploded.value_counts().rename_axis(key).reset_index(name="posts")
    table["share"] = table["posts"] / scored if scored else None
    return table.sort_values(["posts", key], ascending=[False, True]).reset_index(drop=True)


def summarise_trade(frame: pd.DataFrame, reused_pks: Collection[int] = ()) -> TradeSummary:
    """The summary of :func:`load_trade_frame`'s frame; ``reused_pks`` from
    ``Store.media.reused_pks()`` adds the reused_image cue as of now."""
    scored = frame[frame["intent"].notna()].copy()
    n = len(scored)
    reused = {int(pk) for pk in reused_pks}
    cues = _names(scored["scam_cues"])
    is_reused = scored["pk"].astype(int).isin(reused)
    cues = pd.Series([c | {REUSED} if r else c for c, r in zip(cues, is_reused)],
                     index=scored.index, dtype=object)
    scored["_captive"] = pd.to_numeric(scored["captive_bred"], errors="coerce").fillna(0) >= THRESHOLD
    scored["_scam"] = ((pd.to_numeric(scored["scam"], errors="coerce").fillna(0) >= THRESHOLD)
                       | is_reused)
    intents = scored["intent"].astype(str).value_counts().reindex(INTENTS, fill_value=0)
    extra = [i for i in scored["intent"].astype(str).unique() if i not in INTENTS]
    intents = pd.concat([intents, scored["intent"].astype(str).value_counts().reindex(extra)])
    intent_table = intents.rename_axis("intent").reset_index(name="posts")
    intent_table["share"] = intent_table["posts"] / n if n else None
    scored["platform"] = scored["platform"].fillna("unknown")
    by_platform = pd.crosstab(scored["platform"], scored["intent"].astype(str)).reindex(
        columns=list(INTENTS) + extra, fill_value=0) if n else pd.DataFrame()
    if n:
        grouped = scored.groupby("platform")
        by_platform.insert(0, "scored", grouped.size())
        by_platform["captive_bred"] = grouped["_captive"].sum().astype(int)
        by_platform["scam"] = grouped["_scam"].sum().astype(int)
        for name in ("offer", "captive_bred", "scam"):
            by_platform[f"{name}_share"] = by_platform[name] / by_platform["scored"]
        by_platform = by_platform.reset_index().sort_values(["scored", "platform"],
                                                            ascending=[False, True])
    methods = {head: sorted(scored[f"{head}_method"].dropna().astype(str).unique().tolist())
               for head in ("intent", "captive_bred", "scam")}
    return TradeSummary(
        posts=len(frame), scored=n, intents=intent_table,
        captive_bred=int(scored["_captive"].sum()),
        claims=_counts(_names(scored["origin_claims"]), "claim", n),
        scam=int(scored["_scam"].sum()), scam_cues=_counts(cues, "cue", n),
        by_platform=by_platform.reset_index(drop=True), methods=methods)
