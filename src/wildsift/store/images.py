"""Images in the store: one row per distinct picture, links to posts, and image-stage outputs.

Images are content-addressed (sha256 of the cleaned file, see ``privacy/media.py``), so a photo
reused in twenty ads is hashed, read (OCR), checked for faces and scored once; ``post_images``
says which posts (and which video frames) show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, select, update

from wildsift.store import schema
from wildsift.store.id_lists import select_in
from wildsift.store.repository import Repository
from wildsift.store.rows import frame_of as _frame
from wildsift.store.rows import now as _now
from wildsift.store.scores import _latest_by_field

IMAGE_COLUMNS = tuple(c.name for c in schema.images.columns)
IMAGE_RELEVANCE = "image_relevance"  # the image-model stage's per-image field
# what the store serves post stages about each post's images (declared reads, Images.post_reads):
# the OCR text of its pictures in order (repeats removed, redacted when stored), the max image
# relevance (NaN when none is scored), and how many distinct pictures it shows
POST_READS = ("ocr_text", "image_score", "n_images")
# the image outputs each post read comes from: new ones make a post stage that reads it stale
READ_SOURCES = {"ocr_text": "ocr_text", "image_score": IMAGE_RELEVANCE}


class Images(Repository):
    """Image rows, post links and image scores."""

    def link_media(self, batch_size: int = 20000) -> int:
        """Link every stored post's downloaded media (``media[i].sha256``) to ``images`` and
        ``post_images``; returns how many links are new. Cheap to re-run: known links are kept."""
        p = schema.posts.c
        linked = 0
        last = 0
        while True:
            query = (select(p.pk, p.media).where(p.pk > last).order_by(p.pk).limit(batch_size))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return linked
            last = int(rows[-1][0])
            links = [{"post_pk": int(pk), "sha256": item["sha256"], "position": index,
                      "frame": 0, "frame_time": None}
                     for pk, media in rows if isinstance(media, list)
                     for index, item in enumerate(media)
                     if isinstance(item, dict) and item.get("sha256")]
            linked += self.add_links(links)

    def add_links(self, links: Sequence[dict]) -> int:
        """Insert post-image links (and bare image rows for new hashes); returns new links."""
        if not links:
            return 0
        self.add([{"sha256": link["sha256"]} for link in links])
        statement = self.upsert(schema.post_images).on_conflict_do_nothing(
            index_elements=["post_pk", "position", "frame"])
        before = self.count_rows(schema.post_images)
        with self.engine.begin() as conn:
            conn.execute(statement, [{"frame": 0, "frame_time": None, **link} for link in links])
        return self.count_rows(schema.post_images) - before

    def add(self, rows: Sequence[dict]) -> None:
        """Insert image rows whose sha256 is new; existing rows are left as they are."""
        unique = {row["sha256"]: row for row in rows}
        if not unique:
            return
        now = _now()
        full = [{**dict.fromkeys(IMAGE_COLUMNS), "added_at": now, **row}
                for row in unique.values()]
        statement = self.upsert(schema.images).on_conflict_do_nothing(
            index_elements=["sha256"])
        with self.engine.begin() as conn:
            conn.execute(statement, full)

    def update(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        """Set ``columns`` of the images in ``frame`` (a ``sha256`` column plus those)."""
        if frame.empty or not columns:
            return
        unknown = set(columns) - set(IMAGE_COLUMNS)
        if unknown:
            raise ValueError(f"images has no column(s) {sorted(unknown)}")
        c = schema.images.c
        statement = (update(schema.images).where(c.sha256 == bindparam("key"))
                     .values({name: bindparam(f"v_{name}") for name in columns}))
        rows = [{"key": row["sha256"], **{f"v_{n}": _plain(row[n]) for n in columns}}
                for row in frame[["sha256", *columns]].to_dict("records")]
        with self.engine.begin() as conn:
            conn.execute(statement, rows)

    def frame(self, columns: Sequence[str] = IMAGE_COLUMNS, *,
                     missing: str | None = None, sha256s: Iterable[str] | None = None,
                     limit: int | None = None) -> pd.DataFrame:
        """Image rows; ``missing``: only those where that column is still empty (work to do)."""
        c = schema.images.c
        query = select(*(c[name] for name in columns)).order_by(c.sha256)
        if missing is not None:
            query = query.where(c[missing].is_(None))
        with self.engine.connect() as conn:
            if sha256s is not None:  # any number of them (see store/id_lists.py)
                return _frame(select_in(conn, query, c.sha256, (str(s) for s in sha256s),
                                        limit=limit), columns)
            if limit is not None:
                query = query.limit(limit)
            return _frame(conn.execute(query).all(), columns)

    def post_links(self, post_pks: Iterable[int] | None = None) -> pd.DataFrame:
        """Links: post_pk, sha256, position, frame, frame_time (all posts, or these)."""
        c = schema.post_images.c
        columns = ("post_pk", "sha256", "position", "frame", "frame_time")
        query = select(*(c[name] for name in columns)).order_by(c.post_pk, c.position, c.frame)
        with self.engine.connect() as conn:
            if post_pks is None:
                return _frame(conn.execute(query).all(), columns)
            wanted = sorted({int(pk) for pk in post_pks})
            if wanted and wanted[-1] - wanted[0] < 4 * len(wanted):  # a batch: one range scan
                found = _frame(conn.execute(query.where(
                    c.post_pk.between(wanted[0], wanted[-1]))).all(), columns)
                return found[found["post_pk"].isin(wanted)].reset_index(drop=True)
            # any number of them (see store/id_lists.py)
            return _frame(select_in(conn, query, c.post_pk, wanted), columns)

    def write_scores(self, stage: str, model_version: str, frame: pd.DataFrame,
                           fields: Sequence[str]) -> None:
        """Per-image outputs: numeric fields in ``value``, others in ``text_value``."""
        if frame.empty or not fields:
            return
        now = _now()
        keys = frame["sha256"].tolist()
        rows: list[dict] = []
        for field in fields:
            column = frame[field]
            numeric = pd.api.types.is_numeric_dtype(column)
            values = column.to_numpy(dtype=np.float64).tolist() if numeric else column.tolist()
            for key, value, name in zip(keys, values, repeat(field)):
                rows.append({"sha256": key, "stage": stage, "model_version": model_version,
                             "field": name, "scored_at": now,
                             "value": value if numeric else None,
                             "text_value": None if numeric or value is None else str(value)})
        with self.engine.begin() as conn:
            conn.execute(schema.image_scores.insert(), rows)

    def scores_done(self, stage: str, model_version: str) -> set[str]:
        """The images ``stage`` has scored in ``model_version``."""
        c = schema.image_scores.c
        query = select(c.sha256).where(c.stage == stage, c.model_version == model_version
                                       ).distinct()
        with self.engine.connect() as conn:
            return {row[0] for row in conn.execute(query)}

    def scores_frame(self, fields: Sequence[str] | None = None, *,
                     sha256s: Iterable[str] | None = None) -> pd.DataFrame:
        """The latest value of each field per image (all images, or these): sha256 plus one
        column per field."""
        c = schema.image_scores.c
        query = select(c.sha256, c.field, c.value, c.text_value)
        if fields is not None:
            query = query.where(c.field.in_(list(fields)))
        with self.engine.connect() as conn:
            if sha256s is not None:
                rows = select_in(conn, query.order_by(c.sha256, c.scored_at), c.sha256,
                                 (str(s) for s in sha256s))  # per image, the latest last
            else:
                rows = list(conn.execute(query.order_by(c.scored_at)).all())
        frame = _frame(rows, ("post_pk", "field", "value", "text_value"))
        return _latest_by_field(frame).rename(columns={"post_pk": "sha256"})

    def post_reads(self, batch: pd.DataFrame, columns: Sequence[str] = POST_READS
                   ) -> pd.DataFrame:
        """``batch`` (posts with ``pk``) plus the :data:`POST_READS` in ``columns``, from the
        stored outputs of the image stages: posts without pictures get "" / NaN / 0."""
        wanted = [c for c in POST_READS if c in columns]
        pks = [int(pk) for pk in batch["pk"]] if "pk" in batch and len(batch) else []
        values: dict[str, list] = {"ocr_text": [""] * len(pks),
                                   "image_score": [np.nan] * len(pks), "n_images": [0] * len(pks)}
        links = self.post_links(pks) if pks and wanted else pd.DataFrame()
        if not links.empty:
            keys = links["sha256"].unique()
            texts: dict = {}
            if "ocr_text" in wanted:
                images = self.frame(("sha256", "ocr_text"), sha256s=keys)
                texts = dict(zip(images["sha256"], images["ocr_text"]))
            relevance: dict = {}
            if "image_score" in wanted:
                scores = self.scores_frame((IMAGE_RELEVANCE,), sha256s=keys)
                if IMAGE_RELEVANCE in scores:
                    relevance = dict(zip(scores["sha256"], pd.to_numeric(
                        scores[IMAGE_RELEVANCE], errors="coerce")))
            row_of = {pk: i for i, pk in enumerate(pks)}
            for pk, group in links.groupby("post_pk", sort=False):
                i, shown = row_of[int(pk)], list(dict.fromkeys(group["sha256"]))
                found = (texts.get(k) for k in shown)
                values["ocr_text"][i] = "\n".join(dict.fromkeys(
                    t.strip() for t in found if isinstance(t, str) and t.strip()))
                scored = [relevance[k] for k in shown if not np.isnan(relevance.get(k, np.nan))]
                values["image_score"][i] = max(scored) if scored else np.nan
                values["n_images"][i] = len(shown)
        types = {"ocr_text": object, "image_score": float, "n_images": int}
        return batch.assign(**{c: pd.Series(values[c], index=batch.index, dtype=types[c])
                               for c in wanted})

    def posts_showing(self, sha256s: Iterable[str]) -> list[int]:
        """The posts that show any of these images (or frames of them)."""
        c = schema.post_images.c
        with self.engine.connect() as conn:
            rows = select_in(conn, select(c.sha256, c.post_pk), c.sha256,
                             (str(s) for s in sha256s))
        return sorted({int(row[1]) for row in rows})


def _plain(value):
    """numpy scalars and NaN to what a driver takes."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value
