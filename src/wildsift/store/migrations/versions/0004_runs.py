"""Runs: one row per `wildsift sift` run (stages, versions, counts, what was unavailable).

Revision ID: 0004
Revises: 0003

Columns are written out here (not taken from schema.py) so this revision stays what it was when
later revisions change the table. On a new store revision 0001 already created it.
"""

import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    if not sa.inspect(op.get_bind()).has_table("runs"):
        op.create_table(
            "runs",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("command", sa.String(64), nullable=False),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("finished_at", sa.DateTime(timezone=True)),
            sa.Column("stages", sa.JSON, nullable=False),
            sa.Column("unavailable", sa.JSON, nullable=False),
        )


def downgrade() -> None:
    from alembic import op

    op.drop_table("runs")
