"""Scores and matches read back the same on both backends (PostgreSQL writes them by COPY)."""

from __future__ import annotations

import math

import pandas as pd

from wildsift.records import Post

AWKWARD = "tab\there\nnew line \\N back\\slash\r é 象牙"


def test_scores_and_matches_survive_the_bulk_path(store):
    store.posts.add([Post(platform="x", post_id=f"p{i}", text="t") for i in range(4)])
    pks = sorted(store.posts.frame(("pk",))["pk"].tolist())
    frame = pd.DataFrame({"pk": pks, "relevance": [0.25, float("nan"), float("inf"), -1e-300],
                          "method": [AWKWARD, None, "rules", ""]})
    store.scores.write("relevance", "v1", frame, ["relevance", "method"])
    got = store.scores.latest(["relevance", "method"]).set_index("post_pk").loc[pks]
    assert got["relevance"].iloc[0] == 0.25 and math.isnan(got["relevance"].iloc[1])
    assert got["relevance"].iloc[2] == math.inf and got["relevance"].iloc[3] == -1e-300
    assert got["method"].iloc[0] == AWKWARD and got["method"].iloc[2] == "rules"
    assert store.scores.scored_pks("relevance", "v1", pks) == set(pks)

    matches = pd.DataFrame({"post_pk": [pks[0], pks[0], pks[1]], "taxon": ["a", "b", "c"],
                            "product": [None, "ivory", None], "lang": ["en", "en", "vi"],
                            "term": [AWKWARD, "ivory", "ngà"], "kind": ["name"] * 3})
    store.matches.replace(matches)
    store.matches.replace(matches.iloc[2:])  # re-matching a post replaces its matches
    stored = store.matches.frame().sort_values(["post_pk", "taxon"]).reset_index(drop=True)
    assert stored["term"].tolist() == [AWKWARD, "ivory", "ngà"]
    assert pd.isna(stored["product"].iloc[0]) and stored["product"].iloc[1] == "ivory"
