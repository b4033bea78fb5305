"""Posts: where the profile and the phone number point (issue 12 item 1), resolved at ingest.

Revision ID: 0007
Revises: 0006

``profile_place`` and ``profile_country``: the gazetteer's place and country for the author's
profile location (its free text is never stored); ``phone_country``: the country of a phone
number written with its international prefix, taken before redaction. Columns are written out
here (not taken from schema.py); on a new store revision 0001 already created them.
"""

import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (("profile_place", sa.String(128)), ("profile_country", sa.String(2)),
           ("phone_country", sa.String(2)))


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
