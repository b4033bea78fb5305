"""The web app's people: users, sessions and the append-only, hash-chained label log.

Revision ID: 0006
Revises: 0005

Columns are written out here (not taken from schema.py) so this revision stays what it was when
later revisions change the tables. On a new store revision 0001 already created them; the
triggers that refuse UPDATE and DELETE on label_log are made here in both cases.
"""

import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    ("CREATE TRIGGER IF NOT EXISTS label_log_no_update BEFORE UPDATE ON label_log "
    "BEGIN SELECT RAISE(ABORT, 'label_log is append-only'); END"),
    ("CREATE TRIGGER IF NOT EXISTS label_log_no_delete BEFORE DELETE ON label_log "
    "BEGIN SELECT RAISE(ABORT, 'label_log is append-only'); END"),
]
POSTGRES_TRIGGERS = [
    ("CREATE OR REPLACE FUNCTION label_log_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'label_log is append-only'; END; $$ LANGUAGE plpgsql"),
    "DROP TRIGGER IF EXISTS label_log_no_change ON label_log",
    ("CREATE TRIGGER label_log_no_change BEFORE UPDATE OR DELETE ON label_log "
    "FOR EACH ROW EXECUTE FUNCTION label_log_append_only()"),
]


def upgrade() -> None:
    from alembic import op

    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("users"):
        op.create_table(
            "users",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("login", sa.String(64), nullable=False, unique=True),
            sa.Column("annotator", sa.String(64), nullable=False),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("languages", sa.JSON, nullable=False),
            sa.Column("password_hash", sa.String(256), nullable=False),
            sa.Column("must_change", sa.Integer, nullable=False),
            sa.Column("graphic_opt_in", sa.Integer, nullable=False),
            sa.Column("disabled", sa.Integer, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True)),
        )
    if not inspector.has_table("web_sessions"):
        op.create_table(
            "web_sessions",
            sa.Column("token_hash", sa.String(64), primary_key=True),
            sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                      nullable=False),
            sa.Column("csrf", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        )
    if not inspector.has_table("label_log"):
        op.create_table(
            "label_log",
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("post_pk", sa.Integer, nullable=False),
            sa.Column("action", sa.String(16), nullable=False),
            sa.Column("field", sa.String(64), nullable=False),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("annotator", sa.String(64), nullable=False),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("prev_hash", sa.String(64), nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
        )
        op.create_index("ix_label_log_post", "label_log", ["post_pk"])
    statements = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" \
        else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    from alembic import op

    op.drop_table("label_log")
    op.drop_table("web_sessions")
    op.drop_table("users")
