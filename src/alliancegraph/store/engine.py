"""The database behind a store: an SQLite file or a PostgreSQL server, through one SQLAlchemy engine.

Everything that differs between the two databases is decided here, so the rest of the store writes
portable SQLAlchemy Core and both give the same answers:

- **Addressing.** A plain path is an SQLite file. ``postgresql://`` (and ``postgres://``) URLs use the
  psycopg 3 driver, installed by the ``postgres`` extra; a URL that names its driver
  (``postgresql+psycopg2://``) keeps it. A missing PostgreSQL database is created when the store may be
  created (the role needs CREATEDB), like a missing SQLite file.
- **Case.** SQLite's own ``lower()`` folds ASCII letters only, so "ŠKODA" never matched "škoda"; it is
  replaced by Python's, which folds like PostgreSQL's in a database with a UTF-8 locale (one whose
  LC_CTYPE is "C" folds ASCII only, as SQLite did).
- **Order.** Text is ordered by code point on both (`bytewise`): SQLite's BINARY, PostgreSQL's "C"
  collation, whatever locale the PostgreSQL database was created with.
- **One writer at a time.** SQLite takes its write lock up front (``BEGIN IMMEDIATE``); PostgreSQL takes a
  transaction-level advisory lock (`lock_writers`). A write recomputes facts from all their evidence, so
  two concurrent writers must not each miss the other's evidence; readers are never blocked.
- **Durability.** An SQLite file is in WAL mode with ``synchronous=NORMAL``, as SQLite recommends for
  WAL: a commit waits for no fsync (the WAL is synced at checkpoints), a transaction committed before
  the process is killed is kept, and a power loss or an operating-system crash may roll back the last
  commits but never corrupts the file (docs/reliability.md). NORMAL is set only when WAL mode took
  effect: with a rollback journal it is less safe.
- **Read-only.** SQLite by ``mode=ro``; PostgreSQL by ``default_transaction_read_only`` (`read_only_url`).
- **Many rows.** An INSERT of many rows is one multi-row statement on PostgreSQL (SQLAlchemy's
  "insertmanyvalues", as it does for psycopg2), not one statement per row in a pipeline: an article's
  story keys, evidence and history rows take one round trip each. Rows are inserted, and take their
  serial ids, in the order given, as before. SQLite's own executemany is already fast.
- **Errors.** A missing driver, an unreachable server, a refused login or a missing database each become
  a `StoreError` that names the URL, password masked, and says what to do next.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from alliancegraph.errors import StoreError

POSTGRES_DRIVER = "psycopg"
INSTALL_POSTGRES = "pip install 'alliancegraph[postgres]'"
CONNECT_TIMEOUT = 10
"""Seconds to wait for a PostgreSQL server before saying it cannot be reached."""
WRITE_LOCK = 0x616C6C69616E6365
"""The advisory lock key that PostgreSQL writers of a store take in turn (any fixed number works)."""
_READ_ONLY_OPTION = "-c default_transaction_read_only=on"


def describe(url: URL) -> str:
    """The URL as shown to people: the password masked."""
    return url.render_as_string(hide_password=True)


def shown(url_or_path: str | os.PathLike[str]) -> str:
    """Where a store is, as shown to people: a path as given, a URL with its password masked."""
    raw = os.fspath(url_or_path)
    if "://" not in raw:
        return raw
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^/:@]*):[^@]*@", r"\1:***@", raw)


def is_postgres(url_or_engine: URL | Engine | Connection) -> bool:
    url = url_or_engine if isinstance(url_or_engine, URL) else url_or_engine.engine.url
    return url.get_backend_name() == "postgresql"


def store_url(url_or_path: str | os.PathLike[str], *, create: bool) -> URL:
    """The SQLAlchemy URL of a store given as a file path or a URL. A path's folder is made when the
    store may be created; without `create`, a missing SQLite file is a `StoreError`."""
    raw = os.fspath(url_or_path)
    try:
        if "://" in raw:
            url = make_url(raw)
            if url.drivername in ("postgresql", "postgres"):
                url = url.set(drivername=f"postgresql+{POSTGRES_DRIVER}")
        else:
            path = Path(raw).expanduser()
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            url = make_url("sqlite://").set(database=str(path))
    except (ArgumentError, ValueError, OSError) as e:
        raise StoreError(f"Cannot open the store at {raw}: {e}. Give a file path or a database URL.") from e
    if url.get_backend_name() == "sqlite" and not create:
        database = url.database or ""
        in_file = database and database != ":memory:" and not database.startswith("file:")
        if in_file and not Path(database).is_file():
            raise StoreError(
                f"No store at {database}. Ingest articles into it first "
                f"(alliancegraph ingest PATH --db {database}), or give the path of an existing store."
            )
    return url


def read_only_url(url_or_path: str | os.PathLike[str]) -> str:
    """A PostgreSQL URL whose sessions start every transaction read-only, so the server refuses writes
    (give a read-only role for a hard guarantee). Other URLs are returned unchanged."""
    raw = os.fspath(url_or_path)
    if "://" not in raw:
        return raw
    url = store_url(raw, create=False)
    if not is_postgres(url):
        return raw
    options = url.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    if "default_transaction_read_only" not in options:
        url = url.update_query_dict({"options": f"{options} {_READ_ONLY_OPTION}".strip()})
    return url.render_as_string(hide_password=False)


def make_engine(url: URL) -> Engine:
    """An engine for the store's database (see the module's notes for what each dialect gets)."""
    try:
        if is_postgres(url):
            connect_args: dict[str, Any] = {}
            if "connect_timeout" not in url.query:
                connect_args["connect_timeout"] = CONNECT_TIMEOUT
            engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
            engine.dialect.use_insertmanyvalues_wo_returning = True  # see "Many rows" above
            return engine
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True)
    except ImportError as e:
        raise StoreError(f"Cannot open the store at {describe(url)}: {_missing_driver(url, e)}") from e
    except (ArgumentError, SQLAlchemyError) as e:
        raise StoreError(
            f"Cannot open the store at {describe(url)}: {_reason(e)} "
            "Give a file path, a sqlite:/// URL or a postgresql:// URL."
        ) from e


def connect(engine: Engine, url: URL, *, create: bool) -> None:
    """Connect once, so that a server that cannot be reached, a refused login or a missing database is
    told now and plainly. A missing PostgreSQL database is created when `create` is set."""
    if not is_postgres(url):
        return
    try:
        with engine.connect():
            return
    except DBAPIError as e:
        failure = e
    exists = _database_exists(url)
    if exists is None or exists:
        raise StoreError(
            f"Cannot connect to the PostgreSQL server of {describe(url)}: {_reason(failure)} "
            "Check that the server is running and reachable at that host and port, and that the user "
            "and password are right; then retry."
        ) from failure
    if not create:
        raise StoreError(
            f"No store at {describe(url)}: the database {url.database!r} does not exist. Ingest articles "
            "into it first (alliancegraph ingest PATH --db URL), or check the database name."
        ) from failure
    _create_database(url)


_LOCK_WRITERS = select(func.pg_advisory_xact_lock(WRITE_LOCK))


def lock_writers(conn: Connection) -> None:
    """Make this transaction the store's only writer until it ends (PostgreSQL; on SQLite the write
    transaction already holds the database's write lock)."""
    if is_postgres(conn):
        conn.execute(_LOCK_WRITERS)


class bytewise(FunctionElement[Any]):
    """A text expression compared by code point: as SQLite orders text, and PostgreSQL with the "C"
    collation, so both return rows in one order whatever the database's locale."""

    inherit_cache = True
    name = "bytewise"


@compiles(bytewise)
def _bytewise_default(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


# -- helpers ----------------------------------------------------------------------------------------


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30})
    memory = url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not memory and cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal":
            cursor.execute("PRAGMA synchronous=NORMAL")  # see "Durability"
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("alliancegraph_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _reason(e: BaseException) -> str:
    """The driver's own words for an error: one sentence on one line, without SQLAlchemy's link."""
    orig = getattr(e, "orig", None)
    message = str(orig) if orig is not None else str(e)
    message = re.sub(r"\s+", " ", message.split("(Background on this error", 1)[0]).strip()
    return message if message.endswith((".", "?", "!")) else message + "."


def _sqlstate(e: BaseException) -> str | None:
    orig = getattr(e, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def _missing_driver(url: URL, e: ImportError) -> str:
    module = e.name or url.get_driver_name()
    if is_postgres(url):
        return (
            f"the PostgreSQL driver {module!r} is not installed ({e}). "
            f"Install it with {INSTALL_POSTGRES}, then retry."
        )
    return f"the database driver {module!r} is not installed ({e}). Install it, then retry."


def _maintenance_engine(url: URL) -> Engine:
    """An autocommit engine on the server's ``postgres`` database, with the store's credentials."""
    return create_engine(
        url.set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
        poolclass=NullPool,
    )


def _database_exists(url: URL) -> bool | None:
    """Whether the URL's database exists on its server; None when that cannot be told (the server
    cannot be reached, the login is refused, or the role may not connect to ``postgres``)."""
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            return found is not None
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def _create_database(url: URL) -> None:
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            name = conn.dialect.identifier_preparer.quote(url.database or "")
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if exists is None:
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except SQLAlchemyError as e:
        if _sqlstate(e) == "42P04":  # duplicate_database: created by a concurrent opener, fine
            return
        raise StoreError(
            f"The database {url.database!r} of {describe(url)} does not exist and could not be created: "
            f"{_reason(e)} Create it (createdb -O {url.username or 'USER'} {url.database}), "
            "or give the role the CREATEDB privilege; then retry."
        ) from e
    finally:
        engine.dispose()
