"""Tables of the store (SQLAlchemy Core). The only place, with store.py, that knows SQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

posts = Table(
    "posts", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(32), nullable=False),
    Column("post_id", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True)),
    Column("collected_at", DateTime(timezone=True)),
    Column("text", Text, nullable=False, default=""),
    Column("author", String(64)),
    Column("author_description", Text),
    Column("lang", String(16)),
    Column("lat", Float),
    Column("lon", Float),
    Column("place", String(256)),
    Column("country", String(2)),
    Column("geo_source", String(32)),
    Column("reply_to", String(64)),
    Column("mentions", JSON),
    Column("hashtags", JSON),
    Column("media", JSON),
    Column("query", String(512)),
    Column("source", String(256)),
    UniqueConstraint("platform", "post_id", name="uq_posts_platform_post_id"),
)
Index("ix_posts_created_at", posts.c.created_at)

matches = Table(
    "matches", metadata,
    Column("post_pk", Integer, ForeignKey("posts.pk", ondelete="CASCADE"), nullable=False),
    Column("taxon", String(64), nullable=False),
    Column("product", String(64)),
    Column("lang", String(16)),
    Column("term", String(128), nullable=False),
    Column("kind", String(16)),  # name | product | code_word
)
Index("ix_matches_post", matches.c.post_pk)

scores = Table(
    "scores", metadata,
    Column("post_pk", Integer, ForeignKey("posts.pk", ondelete="CASCADE"), nullable=False),
    Column("stage", String(64), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("field", String(64), nullable=False),
    Column("value", Float),
    Column("text_value", Text),
    Column("scored_at", DateTime(timezone=True)),
)
Index("ix_scores_stage_post", scores.c.stage, scores.c.model_version, scores.c.post_pk)

labels = Table(
    "labels", metadata,
    Column("post_pk", Integer, ForeignKey("posts.pk", ondelete="CASCADE"), nullable=False),
    Column("field", String(64), nullable=False),
    Column("value", String(256), nullable=False),
    Column("annotator", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True)),
    UniqueConstraint("post_pk", "field", "annotator", name="uq_labels_post_field_annotator"),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(256), nullable=False),
    Column("location", String(512), nullable=False),
    Column("field", String(64)),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True)),
)

cursors = Table(
    "cursors", metadata,
    Column("source", String(256), primary_key=True),
    Column("query", String(512), primary_key=True),
    Column("cursor", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True)),
)

# What was erased because it was deleted at the source (wildsift comply): an audit trail that
# holds nothing personal, only a hash of the stored post id, the platform, why and when.
erasures = Table(
    "erasures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(32), nullable=False),
    Column("post_hash", String(64), nullable=False),
    Column("reason", String(256), nullable=False),
    Column("erased_at", DateTime(timezone=True), nullable=False),
)

# Images, content-addressed: one row per distinct picture (a reused photo is analysed once),
# linked to the posts (and video frames) that show it. OCR text is redacted like post text.
images = Table(
    "images", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("width", Integer),
    Column("height", Integer),
    Column("format", String(8)),
    Column("phash", String(16)),  # 64-bit perceptual hash (hex), for near-duplicate search
    Column("dhash", String(16)),
    Column("ocr_text", Text),
    Column("ocr_engine", String(64)),
    Column("faces", Integer),  # faces found (blurred in exports and the web app)
    Column("added_at", DateTime(timezone=True)),
)
Index("ix_images_phash", images.c.phash)

post_images = Table(
    "post_images", metadata,
    Column("post_pk", Integer, ForeignKey("posts.pk", ondelete="CASCADE"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("position", Integer, nullable=False),  # index in the post's media list
    Column("frame", Integer, nullable=False, default=0),  # video key frame number; 0 for stills
    Column("frame_time", Float),  # seconds into the video
    UniqueConstraint("post_pk", "position", "frame", name="uq_post_images_post_position_frame"),
)
Index("ix_post_images_sha256", post_images.c.sha256)

# Per-image outputs of image stages (labels, relevance, embeddings' probes), like ``scores``.
image_scores = Table(
    "image_scores", metadata,
    Column("sha256", String(64), nullable=False),
    Column("stage", String(64), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("field", String(64), nullable=False),
    Column("value", Float),
    Column("text_value", Text),
    Column("scored_at", DateTime(timezone=True)),
)
Index("ix_image_scores_stage", image_scores.c.stage, image_scores.c.model_version,
      image_scores.c.sha256)

# One row per `wildsift sift` run (store/runs.py): when, which stages at which versions, what
# each did, and what could not run and why, as the machine that sifted saw it. The report reads
# this instead of probing the machine that builds it.
runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("stages", JSON, nullable=False),  # [{name, over, version, scored, skipped, left}]
    Column("unavailable", JSON, nullable=False),  # [{what, why}]
)
