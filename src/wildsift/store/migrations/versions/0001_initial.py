"""The first schema: posts, matches, scores, labels, quarantine, cursors.

Revision ID: 0001
Revises:
"""

from wildsift.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    metadata.create_all(op.get_bind())


def downgrade() -> None:
    from alembic import op

    metadata.drop_all(op.get_bind())
