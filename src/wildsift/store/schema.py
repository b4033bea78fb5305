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
    Column("profile_place", String(128)),  # resolved at ingest; the free text is never stored
    Column("profile_country", String(2)),
    Column("phone_country", String(2)),  # of a number written with its international prefix
    Column("reply_to", String(64)),
    Column("repost_of", String(64)),  # pseudonym of the account reposted, quoted or forwarded
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

# A field's usual value for every post a stage version scored, stored once instead of per post:
# the method that decided ("model:<version>", "rules"), or the empty list of cues most posts
# have. A post reads it through the stage's ``anchor`` field row, unless a ``scores`` row of
# its own says otherwise (see store/outputs.py).
score_defaults = Table(
    "score_defaults", metadata,
    Column("stage", String(64), primary_key=True),
    Column("model_version", String(64), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("anchor", String(64), nullable=False),
    Column("value", Float),
    Column("text_value", Text),
)

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

# The web app's people (store/users.py). No name is stored: ``login`` is a keyed hash of the
# lower-cased user name and ``annotator`` the pseudonym their labels carry (as `label import`
# makes it), so the table identifies no one without the study's secret.
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("annotator", String(64), nullable=False),
    Column("role", String(16), nullable=False),  # admin | researcher | annotator | volunteer
    Column("languages", JSON, nullable=False),  # [] = reads every language
    Column("password_hash", String(256), nullable=False),  # argon2id
    Column("must_change", Integer, nullable=False, default=1),  # one-time password not changed
    Column("graphic_opt_in", Integer, nullable=False, default=0),
    Column("disabled", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True)),
)

# Signed-in sessions: the cookie carries a random token, the table only its sha256.
web_sessions = Table(
    "web_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Append-only, hash-chained log of every label, undo and adjudication made in the web app
# (store/label_log.py): each row's hash covers the previous row's hash, so an edited or
# deleted row breaks the chain. No foreign key: erasing a post keeps its (non-personal) log.
label_log = Table(
    "label_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("post_pk", Integer, nullable=False),
    Column("action", String(16), nullable=False),  # label | undo | adjudicate | urgent | ack
    Column("field", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("annotator", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),  # ISO text: hashed exactly as stored
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_label_log_post", label_log.c.post_pk)
