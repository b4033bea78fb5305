"""The erasures table: the audit trail of posts erased because they were deleted at the source.

Revision ID: 0002
Revises: 0001

The columns are written out here (not taken from schema.py) so this revision stays what it was
when later revisions change the table. Revision 0001 creates every table of the schema it is
shipped with, so on a new store the table already exists and this revision leaves it as it is.
"""

import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    if sa.inspect(op.get_bind()).has_table("erasures"):
        return
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("post_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(256), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    from alembic import op

    op.drop_table("erasures")
