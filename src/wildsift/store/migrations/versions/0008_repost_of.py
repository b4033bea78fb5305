"""Posts: the account a post reposts, quotes or forwards (issue 13, the people network).

Revision ID: 0008
Revises: 0007

``repost_of``: the pseudonym (a keyed hash, as ``reply_to``) of the account whose post this
one reposts (a retweet, a Weibo 转发, a Mastodon reblog), quotes or forwards; the network's
``repost`` tie. The column is written out here (not taken from schema.py); on a new store
revision 0001 already created it.
"""

import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (("repost_of", sa.String(64)),)


def upgrade() -> None:
    from alembic import op

    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("posts")}
    with op.batch_alter_table("posts") as batch:
        for name, kind in COLUMNS:
            if name not in have:
                batch.add_column(sa.Column(name, kind))


def downgrade() -> None:
    from alembic import op

    with op.batch_alter_table("posts") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
