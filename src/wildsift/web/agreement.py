"""The agreement page's table: ``wildsift.labels.agreement`` (Krippendorff's alpha per field,
Cohen's kappa per pair of annotators), or plain percent agreement where that package or its
``krippendorff`` dependency is not installed."""

from __future__ import annotations

from collections import Counter

import pandas as pd

JUDGED = ("relevant", "intent", "taxon", "origin", "scam", "stance", "adjudicated_relevant")


def agreement_table(frame: pd.DataFrame, fields: tuple[str, ...] = JUDGED) -> dict:
    """{"method": ..., "fields": [{field, alpha, posts, pairable, labels, annotators,
    agreement, kappa: {a: {b: k}}}]} for the fields that have labels."""
    present = [f for f in fields if f in set(frame["field"])] if len(frame) else []
    try:
        from wildsift.labels.agreement import agreement
    except ImportError:
        agreement = None
    rows = []
    for field in present:
        part = frame[frame["field"] == field]
        by_post = part.groupby("post_pk")["value"].apply(list)
        multi = [v for v in by_post if len(v) > 1]
        same = sum(Counter(v).most_common(1)[0][1] == len(v) for v in multi)
        row = {"field": field, "posts": len(by_post), "pairable": len(multi),
               "labels": len(part), "annotators": part["annotator"].nunique(),
               "agreement": same / len(multi) if multi else None, "alpha": None, "kappa": {}}
        if agreement is not None:
            found = agreement(frame, [field]).fields[field].to_dict()
            row["alpha"], row["kappa"] = found["alpha"], found["kappa"]
        rows.append(row)
    return {"method": "krippendorff" if agreement is not None else "percent", "fields": rows}
