"""What the app does while Textual starts: open the database, index earlier minutes, read the
first page of the list. Plain Python (no Textual); the app runs it in a thread worker.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.history import index_minutes
from zorgoverleg.signals import ListView, list_view, list_window


@dataclass
class Opened:
    db: Database
    view: ListView | None = None  # None: the list screen reads it again and says what is wrong
    problems: list[str] = field(default_factory=list)  # Dutch sentences about minutes that were not read


def open_school(db_path: Path, minutes_folder: Path, today: date, config: Config) -> Opened:
    """Open the database (``DatabaseError``: one sentence for people), index the minutes folder
    and read the first page of the list. Minutes that cannot be read are reported, not fatal."""
    db = Database.open(db_path)
    opened = Opened(db)
    if str(db_path) != ":memory:":  # copies an import killed midway left beside the database (0600)
        from zorgoverleg.import_read import remove_leftovers

        remove_leftovers(Path(db_path).resolve().parent)
    try:
        result = index_minutes(db, minutes_folder)
        opened.problems = [f"{problem} De andere notulen tellen wel mee." for problem in result.problems]
    except Exception as exc:  # the meeting must go on without history
        opened.problems = [f"Eerdere notulen konden niet gelezen worden ({exc})."]
    with closing(db.cursor()) as cursor:
        try:
            opened.view = list_view(db, today, config, cursor=cursor, limit=list_window(config))
        except duckdb.Error:
            pass
    return opened
