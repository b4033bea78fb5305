"""How far annotators agree, per field: Krippendorff's alpha over everyone, Cohen's kappa for
each pair, and the counts behind both.

Why both: alpha copes with any number of annotators and missing labels (each post labelled by
whoever saw it), so it is the one figure to report per field; the kappa matrix shows *who*
disagrees with whom (a volunteer who reads the schema differently stands out as a row).
Values are nominal categories (``relevant`` 1/0, ``intent`` offer/wanted/...).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from wildsift.labels.values import fields_of, label_matrix

MIN_PAIR_OVERLAP = 2  # posts two annotators both labelled before their kappa means anything


@dataclass(frozen=True)
class FieldAgreement:
    """Agreement on one field. ``alpha`` is None when it is undefined: fewer than two
    annotators on any post, or a single value used throughout (no variation to agree on)."""

    field: str
    alpha: float | None
    posts: int  # posts with at least one label
    pairable_posts: int  # posts with two or more labels: the ones alpha is computed from
    labels: int
    annotators: int
    values: dict[str, int]  # label counts per value
    kappa: pd.DataFrame  # annotator x annotator Cohen's kappa (NaN: too little overlap)
    overlap: pd.DataFrame  # annotator x annotator count of posts both labelled

    def to_dict(self) -> dict:
        """JSON-ready (NaN becomes None)."""
        def clean(x: float) -> float | None:
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

        return {
            "field": self.field, "alpha": clean(self.alpha), "posts": self.posts,
            "pairable_posts": self.pairable_posts, "labels": self.labels,
            "annotators": self.annotators, "values": self.values,
            "kappa": {a: {b: clean(v) for b, v in row.items()}
                      for a, row in self.kappa.to_dict(orient="index").items()},
            "overlap": {a: {b: int(v) for b, v in row.items()}
                        for a, row in self.overlap.to_dict(orient="index").items()},
        }


@dataclass(frozen=True)
class AgreementReport:
    """Agreement on every field of a label set."""

    fields: dict[str, FieldAgreement] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"fields": {name: item.to_dict() for name, item in self.fields.items()}}


def krippendorff_alpha(matrix: pd.DataFrame) -> float | None:
    """Nominal alpha of a posts x annotators table of category strings (NaN: not labelled)."""
    if matrix.empty:
        return None
    categories = sorted({v for v in matrix.to_numpy().ravel() if isinstance(v, str)})
    pairable = (matrix.notna().sum(axis=1) >= 2).sum()
    if len(categories) < 2 or pairable == 0:
        return None
    codes = {value: float(i) for i, value in enumerate(categories)}
    data = np.array([[codes.get(v, np.nan) if isinstance(v, str) else np.nan for v in column]
                     for column in matrix.T.to_numpy()])  # krippendorff: annotators x units
    value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal",
                               value_domain=list(codes.values()))
    return None if value is None or math.isnan(value) else float(value)


def kappa_matrix(matrix: pd.DataFrame,
                 min_overlap: int = MIN_PAIR_OVERLAP) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohen's kappa of every annotator pair on the posts both labelled, and that overlap.
    The diagonal is 1 where an annotator labelled anything; NaN where kappa is undefined
    (overlap below ``min_overlap``, or both gave one and the same value throughout)."""
    names = list(matrix.columns)
    kappa = pd.DataFrame(np.nan, index=names, columns=names, dtype=float)
    overlap = pd.DataFrame(0, index=names, columns=names, dtype=int)
    for i, a in enumerate(names):
        for b in names[i:]:
            both = matrix[[a, b]].dropna() if a != b else matrix[[a]].dropna()
            overlap.loc[a, b] = overlap.loc[b, a] = len(both)
            if a == b:
                kappa.loc[a, a] = 1.0 if len(both) else np.nan
                continue
            if len(both) < min_overlap:
                continue
            with warnings.catch_warnings():  # one value each: sklearn warns and returns NaN
                warnings.simplefilter("ignore")
                value = cohen_kappa_score(both[a].to_numpy(), both[b].to_numpy())
            kappa.loc[a, b] = kappa.loc[b, a] = value
    return kappa, overlap


def field_agreement(labels: pd.DataFrame, field_name: str,
                    min_overlap: int = MIN_PAIR_OVERLAP) -> FieldAgreement:
    """Alpha, the kappa matrix and counts for one field of a labels frame."""
    matrix = label_matrix(labels, field_name)
    if matrix.empty:
        empty = pd.DataFrame(dtype=float)
        return FieldAgreement(field_name, None, 0, 0, 0, 0, {}, empty, empty.astype(int))
    kappa, overlap = kappa_matrix(matrix, min_overlap)
    stacked = matrix.stack().dropna()  # pandas 3 keeps the NaN of unlabelled cells
    counts = stacked.value_counts().sort_index()
    return FieldAgreement(
        field=field_name,
        alpha=krippendorff_alpha(matrix),
        posts=len(matrix),
        pairable_posts=int((matrix.notna().sum(axis=1) >= 2).sum()),
        labels=len(stacked),
        annotators=matrix.shape[1],
        values={str(k): int(v) for k, v in counts.items()},
        kappa=kappa,
        overlap=overlap,
    )


def agreement(labels: pd.DataFrame, fields: list[str] | None = None,
              min_overlap: int = MIN_PAIR_OVERLAP) -> AgreementReport:
    """Agreement on each field (default: every judged field in ``labels``)."""
    names = fields if fields is not None else fields_of(labels)
    return AgreementReport({name: field_agreement(labels, name, min_overlap) for name in names})
