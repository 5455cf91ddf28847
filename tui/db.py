"""DuckDB access: open the database file, create or migrate the schema, run named queries.

Never imports Textual. Every statement comes from ``queries/<name>.sql``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import duckdb

from zorgoverleg import queries

SCHEMA_VERSION = 3
SCHEMA = (
    "create_meta",
    "create_imports",
    "create_pupils",
    "create_absences",
    "create_halfday_hours",
    "create_halfdays",
    "create_code_map",
    "create_team_flags",
    "create_agreements",
    "create_reviews",
    "create_list_changes",
)
# Later versions add (version, [query names]) here; each runs once, in order.
MIGRATIONS: list[tuple[int, tuple[str, ...]]] = [
    (2, ("create_list_changes",)),  # the changes the stored list has not taken in (tui/list_cache.py)
    # halfdays becomes a view over absences plus the lesson-hour roll-ups (halfday_hours)
    (3, ("create_halfday_hours", "migrate_halfdays_keep_hours", "migrate_halfdays_drop_table", "create_halfdays")),
]

DEFAULT_DB = "zorgoverleg.duckdb"


# Nothing leaves the machine: DuckDB must never fetch (or load) an extension on its own.
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


DEFAULT_MEMORY_LIMIT = "512MB"


def connect(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never installs or autoloads extensions (no network access).

    DuckDB's memory is capped (``ZORGOVERLEG_MEMORY_LIMIT``, default 512MB) so a large
    import spills to disk instead of crowding a school laptop; see BENCHMARKS.md."""
    config: dict[str, str | bool | int | float | list[str]] = dict(OFFLINE)
    config["memory_limit"] = os.environ.get("ZORGOVERLEG_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT
    try:
        return duckdb.connect(path, read_only=read_only, config=config)
    except (duckdb.InvalidInputException, duckdb.ParserException) as exc:
        if "memory" not in str(exc).lower():
            raise
        config["memory_limit"] = DEFAULT_MEMORY_LIMIT  # an unreadable setting keeps the default
        return duckdb.connect(path, read_only=read_only, config=config)


class DatabaseError(Exception):
    """The database cannot be used; the message is one Dutch sentence for people."""


def default_path() -> Path:
    return Path(os.environ.get("ZORGOVERLEG_DB") or DEFAULT_DB)


def _explain(path: Path, exc: Exception) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return (
            f"{path}: de databank is in gebruik door een ander programma; "
            "sluit dat eerst en probeer opnieuw."
        )
    if "read-only" in text.lower() or "permission" in text.lower():
        return f"{path}: geen schrijfrechten op de databank of de map; kies een andere map met --db."
    return f"{path}: de databank kan niet geopend worden ({text.splitlines()[0]})."


class Database:
    """One DuckDB file. Use ``cursor()`` per thread; the connection itself is not thread-safe."""

    def __init__(self, path: Path, conn: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self.conn = conn
        self.list_lock = threading.Lock()  # one thread at a time computes the stored list
        self.import_lock = threading.Lock()  # one import at a time (they write the same tables)
        self.old_schema: int | None = None  # opened read-only with an older schema: its version
        self.temp_list_keys: dict[int, str] = {}  # read-only database: the list each cursor holds

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False) -> Database:
        path = Path(path) if path is not None else default_path()
        if read_only and not path.exists():
            raise DatabaseError(f"{path}: databank niet gevonden; importeer eerst een export.")
        if not read_only and path.parent != Path("") and not path.parent.exists():
            raise DatabaseError(f"{path.parent}: map bestaat niet; maak ze aan of kies een ander pad met --db.")
        if path.is_file() and path.stat().st_size > 0:
            with path.open("rb") as handle:  # DuckDB would open e.g. a CSV as a throw-away database
                if handle.read(12)[8:12] != b"DUCK":
                    raise DatabaseError(
                        f"{path}: dit is geen databank van zorgoverleg (DuckDB); kies een ander pad met --db."
                    )
        existed = path.exists()
        _private_umask()
        try:
            conn = connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise DatabaseError(_explain(path, exc)) from None
        if not existed:
            _restrict(path)
        db = cls(path, conn)
        if not read_only:
            try:
                db.ensure_schema()
            except duckdb.Error as exc:
                conn.close()
                raise DatabaseError(_explain(path, exc)) from None
        else:
            version = db.schema_version()
            if version is not None and version < SCHEMA_VERSION:
                db.old_schema = version
        return db

    @classmethod
    def memory(cls) -> Database:
        db = cls(Path(":memory:"), connect(":memory:"))
        db.ensure_schema()
        return db

    def ensure_schema(self) -> None:
        version = self.schema_version()
        if version is None:
            self.conn.execute("BEGIN")
            for name in SCHEMA:
                self.conn.execute(queries.load(name))
            self.conn.execute(queries.load("set_schema_version"), {"version": str(SCHEMA_VERSION)})
            self.conn.execute("COMMIT")
            return
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.path}: deze databank komt van een nieuwere versie van zorgoverleg (schema {version}); "
                "werk het programma bij."
            )
        for target, names in MIGRATIONS:
            if target > version:
                self.conn.execute("BEGIN")
                for name in names:
                    self.conn.execute(queries.load(name))
                self.conn.execute(queries.load("set_schema_version"), {"version": str(target)})
                self.conn.execute("COMMIT")

    def schema_version(self) -> int | None:
        found = self.conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()
        exists = found[0] if found else 0
        if not exists:
            return None
        row = self.conn.execute(queries.load("schema_version")).fetchone()
        return int(row[0]) if row else None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.conn.cursor()

    def execute(self, name: str, params: dict[str, Any] | None = None, cursor=None):
        """Run the named query with exactly the parameters it declares."""
        target = cursor if cursor is not None else self.conn
        return target.execute(queries.load(name), queries.bind(name, params or {}))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _private_umask() -> None:
    """Tighten the process umask so the files DuckDB creates later (the .wal, spill files)
    are the owner's only as well; a stricter umask is kept."""
    current = os.umask(0o077)
    os.umask(current | 0o077)


def _restrict(path: Path) -> None:
    """Database files are readable by the owner only (health data)."""
    for candidate in (path, Path(str(path) + ".wal")):
        try:
            os.chmod(candidate, 0o600)
        except OSError:
            pass
