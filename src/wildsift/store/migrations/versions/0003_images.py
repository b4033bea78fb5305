"""Images: one row per distinct picture, its links to posts and video frames, image-stage scores.

Revision ID: 0003
Revises: 0002

Columns are written out here (not taken from schema.py) so this revision stays what it was when
later revisions change the tables. On a new store revision 0001 already created them.
"""

import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("images"):
        op.create_table(
            "images",
            sa.Column("sha256", sa.String(64), primary_key=True),
            sa.Column("width", sa.Integer), sa.Column("height", sa.Integer),
            sa.Column("format", sa.String(8)),
            sa.Column("phash", sa.String(16)), sa.Column("dhash", sa.String(16)),
            sa.Column("ocr_text", sa.Text), sa.Column("ocr_engine", sa.String(64)),
            sa.Column("faces", sa.Integer),
            sa.Column("added_at", sa.DateTime(timezone=True)),
        )
        op.create_index("ix_images_phash", "images", ["phash"])
    if not inspector.has_table("post_images"):
        op.create_table(
            "post_images",
            sa.Column("post_pk", sa.Integer, sa.ForeignKey("posts.pk", ondelete="CASCADE"),
                      nullable=False),
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("frame", sa.Integer, nullable=False),
            sa.Column("frame_time", sa.Float),
            sa.UniqueConstraint("post_pk", "position", "frame",
                                name="uq_post_images_post_position_frame"),
        )
        op.create_index("ix_post_images_sha256", "post_images", ["sha256"])
    if not inspector.has_table("image_scores"):
        op.create_table(
            "image_scores",
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("stage", sa.String(64), nullable=False),
            sa.Column("model_version", sa.String(64), nullable=False),
            sa.Column("field", sa.String(64), nullable=False),
            sa.Column("value", sa.Float), sa.Column("text_value", sa.Text),
            sa.Column("scored_at", sa.DateTime(timezone=True)),
        )
        op.create_index("ix_image_scores_stage", "image_scores",
                        ["stage", "model_version", "sha256"])


def downgrade() -> None:
    from alembic import op

    for table in ("image_scores", "post_images", "images"):
        op.drop_table(table)
