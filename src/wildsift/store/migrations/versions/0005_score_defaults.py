"""Score defaults: a field's usual value per (stage, version), stored once instead of per post.

Revision ID: 0005
Revises: 0004

Columns are written out here (not taken from schema.py) so this revision stays what it was when
later revisions change the table. On a new store revision 0001 already created it. Rows written
before this revision keep their per-post method fields; readers take both.
"""

import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    if not sa.inspect(op.get_bind()).has_table("score_defaults"):
        op.create_table(
            "score_defaults",
            sa.Column("stage", sa.String(64), primary_key=True),
            sa.Column("model_version", sa.String(64), primary_key=True),
            sa.Column("field", sa.String(64), primary_key=True),
            sa.Column("anchor", sa.String(64), nullable=False),
            sa.Column("value", sa.Float),
            sa.Column("text_value", sa.Text),
        )


def downgrade() -> None:
    from alembic import op

    op.drop_table("score_defaults")
