"""Store: a study's database, as small repositories over one SQLAlchemy engine.

``store.posts``, ``.labels``, ``.scores``, ``.matches``, ``.images``, ``.media``, ``.erasures``,
``.quarantine``, ``.cursors``, ``.runs``: each one family of tables with the reads and writes the
rest of wildsift needs (one module each). SQLite (WAL, one file per study) and PostgreSQL
(SQLAlchemy Core, Alembic migrations); each repository keeps its bulk path for each inside, so
nothing outside ``store/`` asks which database it talks to.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from wildsift.errors import StoreError
from wildsift.records import Post, Quarantined
from wildsift.store.cursors import Cursors
from wildsift.store.erasure import ERASURE_TABLES, Erasures
from wildsift.store.faults import install as install_fault_messages
from wildsift.store.faults import translated
from wildsift.store.images import Images
from wildsift.store.labels import Labels
from wildsift.store.matches import Matches
from wildsift.store.media_reuse import Media
from wildsift.store.migrate import upgrade
from wildsift.store.posts import Posts
from wildsift.store.quarantine import Quarantine
from wildsift.store.repository import driver_connection
from wildsift.store.runs import Runs
from wildsift.store.scores import Scores


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted content is overwritten with zeros (Debian's build does so by default, others do
    # not): an erased post leaves no bytes in the file even before `comply` vacuums it.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class Store:
    """A study's database. Open with :meth:`open`; then ``store.<repository>.<method>(...)``."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.posts = Posts(engine)
        self.scores = Scores(engine)
        self.labels = Labels(engine, self.scores)
        self.matches = Matches(engine)
        self.images = Images(engine)
        self.media = Media(engine)
        self.erasures = Erasures(engine)
        self.quarantine = Quarantine(engine)
        self.cursors = Cursors(engine)
        self.runs = Runs(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        try:
            engine = create_engine(url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            elif engine.dialect.name != "postgresql":
                raise StoreError(f"unsupported storage URL {engine.url!r}: use sqlite or postgresql")
            install_fault_messages(engine)
            upgrade(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {url.split('@')[-1]}: {exc}") from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()


    def save_page(self, posts: Sequence[Post], quarantined: Sequence[Quarantined],
                  source: str, query: str, cursor: str | None) -> int:
        """Commit one page of a live source with its cursor, in one transaction.

        A run killed at any moment has committed the page and its cursor, or neither: the next
        run fetches the page again from the cursor before it and stores it once (its posts,
        already stored, would count as duplicates; its quarantine entries, which have no key,
        would be written a second time if the page's rows could commit without its cursor).
        """
        with translated(self.engine), self.engine.begin() as conn:
            stored = self.posts.add(posts, conn)
            self.quarantine.add(quarantined, conn)
            if cursor is not None:
                self.cursors.set(source, query, cursor, conn)
        return stored

    def vacuum(self) -> None:
        """Remove what deleted rows leave in the database files.

        SQLite: checkpoint the WAL into the database, VACUUM (rebuilds the file from live rows
        only: no free page keeps old content), and checkpoint again with TRUNCATE (VACUUM goes
        through the WAL), so the ``-wal`` file is empty. PostgreSQL: VACUUM FULL of the tables an
        erasure touches (rewritten without dead tuples); the server's WAL segments and any
        archive or replica still hold the old rows until they are recycled (docs/privacy.md).
        """
        if self.posts.is_sqlite:
            with translated(self.engine), self.engine.connect() as conn:
                raw = driver_connection(conn)
                raw.commit()  # no transaction open: VACUUM cannot run inside one
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute("VACUUM")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM FULL " + ", ".join(ERASURE_TABLES)))
