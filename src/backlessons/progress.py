"""A learner's saved answers, kept in one SQLite file.

``ProgressStore`` is the only thing that touches the file. It is built for the ways a
course actually gets used:

* several notebooks (kernels) open at once all write to the same file — WAL mode and a
  generous busy timeout let their short ``INSERT`` transactions queue instead of fail;
* ipywidgets callbacks may run on a thread other than the one that built the store, so
  the single connection is shared under a lock;
* a damaged file must not stop a lesson: it is moved aside (bytes kept for rescue) and a
  fresh store starts, with one ``ProgressWarning``;
* a home folder that cannot be written (read-only Binder images, odd permissions) falls
  back to an in-memory store, again with one ``ProgressWarning``; ``store.persistent``
  then is ``False``;
* kernels starting together may find the file busy while another one sets it up (the
  switch to WAL does not wait on the busy timeout): opening then retries for up to the
  busy timeout. Busy is never taken for "cannot save", so no answers go to memory for it.

The default file lives in ``$BACKLESSONS_HOME`` or the platform's user data folder,
never in the repository.

Export format (what instructors merge), one row per answer, columns ``EXPORT_COLUMNS``:
``format`` is ``1``; ``correct`` is ``true``/``false``; ``time`` is UTC ISO 8601 with
seconds (``2026-03-01T09:30:00+00:00``); ``response`` is the raw response — text as the
learner typed it, anything else as canonical JSON (sorted keys, sets sorted). Like every
CSV the package writes (see :mod:`backlessons.csvfile`), a text cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is written with a leading ``'`` so a
spreadsheet shows it instead of running it; readers of the export drop that ``'``.

The same file keeps the spaced-review schedule (table ``review_state``, schema version 2,
contents owned by :mod:`backlessons.review`); it is derived from the answers, kept out of
the answers export, and cleared by :meth:`ProgressStore.reset` with them.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import threading
import time
import warnings
from collections import namedtuple
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:  # pandas is imported on first use to keep the CLI and imports quick
    import pandas as pd

__all__ = [
    "EVENT_COLUMNS",
    "EXPORT_COLUMNS",
    "EXPORT_FORMAT",
    "REVIEW_EXPORT_COLUMNS",
    "REVIEW_NEXT_COLUMNS",
    "SCHEMA_VERSION",
    "SUMMARY_COLUMNS",
    "LessonSummary",
    "ProgressStore",
    "ReviewItem",
    "ProgressWarning",
    "default_path",
    "encode_response",
]

EVENT_COLUMNS: tuple[str, ...] = (
    "lesson",
    "question_id",
    "question_type",
    "response",
    "response_text",
    "correct",
    "score",
    "attempt",
    "time",
)
EXPORT_COLUMNS: tuple[str, ...] = (
    "format",
    "learner",
    *EVENT_COLUMNS,
    "backlessons_version",
)
#: One row of ProgressStore.summary() / lesson_summaries(), and one of review_next() / review_items().
SUMMARY_COLUMNS: tuple[str, ...] = ("lesson", "questions_answered", "attempts", "mean_best_score", "correct_questions")
REVIEW_NEXT_COLUMNS: tuple[str, ...] = ("lesson", "question_id", "question_type", "best_score", "attempts", "last_time")
LessonSummary = namedtuple("LessonSummary", SUMMARY_COLUMNS)
ReviewItem = namedtuple("ReviewItem", REVIEW_NEXT_COLUMNS)
EXPORT_FORMAT = 1
# Version 2 adds the review_state table (spaced review, backlessons.review); see _SCHEMA_V2.
SCHEMA_VERSION = 2
FILE_NAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 30.0
MEMORY = ":memory:"

# SQLite result codes that mean "this file is not a usable database" (as opposed to
# "locked" or "cannot open", which are about the environment, not the file).
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
# "Another connection holds the lock right now": worth waiting for, never a reason to give up.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_RETRY_FIRST_S = 0.005
_RETRY_MAX_S = 0.1
_SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson        TEXT    NOT NULL,
    question_id   TEXT    NOT NULL,
    question_type TEXT    NOT NULL,
    response      TEXT    NOT NULL,
    response_text TEXT    NOT NULL,
    correct       INTEGER NOT NULL CHECK (correct IN (0, 1)),
    score         REAL    NOT NULL CHECK (score >= 0 AND score <= 1),
    attempt       INTEGER NOT NULL CHECK (attempt >= 1),
    time          TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_question ON events (lesson, question_id);
"""

# Version 2: spaced-review state, one row per answered question (backlessons.review owns
# the contents). Purely additive, so a version-1 file upgrades in place and keeps every
# answer; the rows are derived from events and rebuilt whenever events are newer
# (``last_event`` is the id of the newest event folded into ``card``).
_SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS review_state (
    lesson      TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    card        TEXT    NOT NULL,
    due         TEXT    NOT NULL,
    last_event  INTEGER NOT NULL,
    PRIMARY KEY (lesson, question_id)
);
CREATE INDEX IF NOT EXISTS review_by_due ON review_state (due);
"""

#: Columns of the review-schedule CSV (``progress export --review-out``; ``export_review_csv``).
REVIEW_EXPORT_COLUMNS: tuple[str, ...] = ("format", "learner", "lesson", "question_id", "due", "card")


def _upgrade_schema(conn: sqlite3.Connection) -> None:
    """Create or upgrade the tables in one transaction; never touches a saved answer.

    Every step is ``CREATE ... IF NOT EXISTS``, so a new file, a version-1 file and two
    kernels upgrading the same file at once all end in the same place. A newer version
    (written by a later backlessons) is used as is: we only ever name columns that later
    versions keep.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION:
        conn.executescript(
            "BEGIN IMMEDIATE;" + _SCHEMA + _SCHEMA_V2 + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        )


class ProgressWarning(UserWarning):
    """Progress could not be kept where expected (damaged file, unwritable folder)."""


def default_path() -> Path:
    """Where progress is saved: ``$BACKLESSONS_HOME/progress.sqlite3``, else the user data dir."""
    home = os.environ.get("BACKLESSONS_HOME", "").strip()
    if home:
        # Absolute now, so a later chdir (notebooks do that) cannot move the store.
        return Path(home).expanduser().absolute() / FILE_NAME
    import platformdirs

    # appauthor=False: on Windows avoid a doubled "backlessons\backlessons" folder.
    return Path(platformdirs.user_data_dir("backlessons", appauthor=False)) / FILE_NAME


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _format_time(moment: datetime) -> str:
    # Naive datetimes are taken to be UTC already; aware ones are converted.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _plain(value: Any) -> Any:
    """Turn a response into JSON-ready data with one canonical form."""
    if isinstance(value, dict):
        return {str(key) if not isinstance(key, str) else key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [_plain(item) for item in value]
        try:
            return sorted(items)
        except TypeError:  # mixed types: order by their JSON text instead
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    item = getattr(value, "item", None)  # numpy scalars from widgets or pandas
    if callable(item):
        return _plain(item())
    raise TypeError(f"cannot store a response of type {type(value).__name__}")


def encode_response(response: Any) -> str:
    """Text kept for a response: strings as typed, anything else as canonical JSON."""
    if isinstance(response, str):
        return response
    return json.dumps(_plain(response), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _is_damaged(err: sqlite3.DatabaseError) -> bool:
    code = getattr(err, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(err).lower()
    return "not a database" in text or "malformed" in text


def _is_busy(err: sqlite3.Error) -> bool:
    code = getattr(err, "sqlite_errorcode", None)  # Python >= 3.11, and only on SQLite's own errors
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    text = str(err).lower()
    return "database is locked" in text or "database table is locked" in text


def _first_free(path: Path) -> Path:
    """``<name>.corrupt-<n>`` with the smallest n not taken: deterministic, never overwrites."""
    n = 1
    while True:
        candidate = path.with_name(f"{path.name}.corrupt-{n}")
        if not os.path.lexists(candidate):
            return candidate
        n += 1


class _UnusableStore(sqlite3.DatabaseError):
    """A file SQLite opens fine but backlessons cannot use: another program's tables, or text that is not UTF-8."""


_INSERT = f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
_TEXT_COLUMNS = ("lesson", "question_id", "question_type", "response", "response_text", "time")
_SALVAGE_MAX_ROWS = 1_000_000


def _check_usable(conn: sqlite3.Connection) -> None:
    """Raise _UnusableStore unless the events table has our columns and all its text is UTF-8.

    quick_check passes both a foreign database with our user_version and a row whose
    bytes are not UTF-8; the first would make every save fail, the second every export.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] < 1:
        return  # a new file, or one from before the schema: the schema is created next
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    missing = [name for name in EVENT_COLUMNS if name not in columns]
    if missing:
        what = "has no table of answers" if not columns else f"its answers table lacks {', '.join(missing)}"
        raise _UnusableStore(f"{what}; it was probably written by another program")
    conn.text_factory = bytes
    try:
        for row in conn.execute(f"SELECT id, {', '.join(_TEXT_COLUMNS)} FROM events"):
            for cell in row[1:]:
                if isinstance(cell, bytes):
                    try:
                        cell.decode("utf-8")
                    except UnicodeDecodeError:
                        raise _UnusableStore(f"answer {row[0]} holds text that is not valid UTF-8") from None
    finally:
        conn.text_factory = str


def _salvage(damaged: Path, conn: sqlite3.Connection) -> int:
    """Copy every answer still readable in the *damaged* file into *conn*; return how many.

    Reads from both ends, so a bad page in the middle loses only the answers on it;
    text that is not UTF-8 is kept with U+FFFD in place of the bad bytes.
    """
    rows: dict[int, tuple[Any, ...]] = {}
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return 0
    source.text_factory = lambda data: data.decode("utf-8", errors="replace")
    try:
        for order in ("ASC", "DESC"):
            try:
                cursor = source.execute(f"SELECT id, {', '.join(EVENT_COLUMNS)} FROM events ORDER BY id {order}")
                for row in cursor:
                    if row[0] in rows or len(rows) >= _SALVAGE_MAX_ROWS:
                        break
                    rows[row[0]] = row[1:]
            except sqlite3.Error:
                continue  # read up to the damage; the other direction may reach past it
    finally:
        source.close()
    good = [row for _, row in sorted(rows.items()) if _plausible(row)]
    if good:
        with _immediate(conn):
            conn.executemany(_INSERT, good)
    return len(good)


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction that takes the write lock first (waiting up to the busy timeout),
    so what it reads cannot change before it writes."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after some errors (disk full)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _plausible(row: tuple[Any, ...]) -> bool:
    """Would this salvaged row pass the table's checks (types and ranges)?"""
    values = dict(zip(EVENT_COLUMNS, row))
    return (
        all(isinstance(values[name], str) for name in _TEXT_COLUMNS)
        and values["correct"] in (0, 1)
        and isinstance(values["score"], (int, float)) and 0 <= values["score"] <= 1
        and isinstance(values["attempt"], int) and values["attempt"] >= 1
    )


class ProgressStore:
    """Saved answers of one learner.

    ``path=None`` uses :func:`default_path`; ``":memory:"`` keeps everything in memory
    (nothing saved, no warning). ``clock`` returns the time stamped on each answer and
    exists so tests can fix it. Use as a context manager, or call :meth:`close`.

    ``persistent`` is ``False`` when answers live only in memory (``":memory:"`` or the
    fallback for an unwritable home); ``path`` stays the file that was asked for
    (``None`` for ``":memory:"``).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        if path is None:
            path = default_path()
        self.path: Path | None = None if str(path) == MEMORY else Path(path)
        self.persistent = False
        self._clock = clock
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        if self.path is None:
            self._conn = self._open_memory()
        else:
            self._conn = self._open_file(self.path)

    # -- opening -----------------------------------------------------------------

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        # Autocommit (isolation_level=None): each statement is its own short transaction,
        # so a write never holds the lock while Python does other work. timeout= is
        # SQLite's busy timeout (sqlite3_busy_timeout), so no PRAGMA busy_timeout is needed.
        return sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)

    @classmethod
    def _prepare(cls, conn: sqlite3.Connection, *, wal: bool) -> None:
        _check_usable(conn)  # before anything is written: a foreign file is kept byte for byte
        if wal:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() == "wal":
                # Safe in WAL mode: a crash loses nothing committed; power loss at worst the last answers.
                conn.execute("PRAGMA synchronous = NORMAL")
        # quick_check reads every page, so a file cut short is noticed now, not mid-lesson.
        verdict = conn.execute("PRAGMA quick_check").fetchall()
        if verdict != [("ok",)]:
            raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict[0][0]}")
        _upgrade_schema(conn)

    def _open_memory(self) -> sqlite3.Connection:
        conn = self._connect(MEMORY)
        self._prepare(conn, wal=False)
        return conn

    def _open_file(self, path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if self._looks_foreign(path):
                self._warn_moved(path, "it is not a SQLite database", self._move_aside(path), 0)
            try:
                conn = self._open_checked(path)
            except sqlite3.DatabaseError as err:
                if not (_is_damaged(err) or isinstance(err, _UnusableStore)):
                    raise
                moved = self._move_aside(path)
                conn = self._open_checked(path)
                # Nothing readable is lost: answers that can still be read are copied over.
                copied = _salvage(moved, conn) if moved is not None else 0
                self._warn_moved(path, str(err), moved, copied)
        except sqlite3.Error as err:
            if _is_busy(err):
                # Still locked after the whole busy timeout: report it like a write would,
                # rather than quietly keeping this kernel's answers in memory.
                raise
            return self._fall_back(path, err)
        except OSError as err:
            return self._fall_back(path, err)
        self.persistent = True
        return conn

    def _fall_back(self, path: Path, err: Exception) -> sqlite3.Connection:
        # Only for a location that cannot be written (or opened) at all; busy is retried in _open_checked.
        warnings.warn(
            f"Cannot save progress in {path} ({err}); answers are kept in memory "
            "until this notebook's kernel stops. Set BACKLESSONS_HOME to a writable folder to keep them.",
            ProgressWarning,
            stacklevel=4,
        )
        return self._open_memory()

    def _open_checked(self, path: Path) -> sqlite3.Connection:
        # The busy timeout covers ordinary reads and writes, but not every step of opening:
        # SQLite answers "database is locked" at once when two connections would deadlock
        # (both switching a new file to WAL, say). So opening retries on its own, with short
        # jittered sleeps, for as long as a write would wait.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        pause = _RETRY_FIRST_S
        while True:
            conn = self._connect(str(path))
            try:
                self._prepare(conn, wal=True)
            except sqlite3.Error as err:
                conn.close()
                left = deadline - time.monotonic()
                if not _is_busy(err) or left <= 0:
                    raise
                # Jitter, so kernels that collided do not retry in lockstep and collide again.
                time.sleep(min(left, pause * random.uniform(0.5, 1.0)))
                pause = min(pause * 2, _RETRY_MAX_S)
            except BaseException:
                conn.close()
                raise
            else:
                return conn

    @staticmethod
    def _looks_foreign(path: Path) -> bool:
        # An empty file is a valid new database to SQLite; anything else must start with its header.
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return False
        return bool(head) and head != _SQLITE_HEADER

    @staticmethod
    def _move_aside(path: Path) -> Path | None:
        """Move a damaged file (and its journals) to the first free ``.corrupt-<n>``; None if it is gone."""
        target = _first_free(path)
        try:
            os.replace(path, target)
        except FileNotFoundError:
            return None  # another kernel moved it first and warned; just start fresh
        # The journal companions belong to the damaged file; left behind, SQLite could
        # replay them into the new one. The -shm index is rebuilt and can simply go.
        for suffix in ("-wal", "-journal"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, target.with_name(target.name + suffix))
        shm = path.with_name(path.name + "-shm")
        if shm.exists():
            shm.unlink()
        return target

    @staticmethod
    def _warn_moved(path: Path, reason: str, target: Path | None, copied: int) -> None:
        if target is None:
            return
        kept = (
            f"; the {copied} answer(s) that could still be read were copied into it" if copied else ", empty"
        )
        warnings.warn(
            f"Your progress file {path} was damaged ({reason}); it was moved to {target} "
            f"and a new progress file was started{kept}.",
            ProgressWarning,
            stacklevel=4,
        )

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        """Close the database; safe to call twice."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = str(self.path) if self.persistent else "memory"
        return f"ProgressStore({where})"

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError("this ProgressStore is closed")
        return self._conn

    # -- writing -------------------------------------------------------------------

    def record(
        self,
        lesson: str,
        question_id: str,
        question_type: str,
        response: Any,
        response_text: str,
        correct: bool,
        score: float,
        attempt: int,
    ) -> None:
        """Save one checked answer (one short transaction)."""
        if isinstance(attempt, bool) or int(attempt) != attempt or attempt < 1:
            raise ValueError(f"attempt must be a whole number >= 1, got {attempt!r}")
        row = self._row(lesson, question_id, question_type, response, response_text, correct, score, int(attempt))
        with self._lock:
            self._db().execute(_INSERT, row)

    def record_next(
        self,
        lesson: str,
        question_id: str,
        question_type: str,
        response: Any,
        response_text: str,
        correct: bool,
        score: float,
    ) -> int:
        """Save one checked answer as the next attempt at this question; return its attempt number.

        Counting and inserting happen in one write transaction (BEGIN IMMEDIATE), so two
        kernels answering the same question at once never store the same attempt number.
        """
        row = self._row(lesson, question_id, question_type, response, response_text, correct, score, 0)
        at = EVENT_COLUMNS.index("attempt")
        with self._lock:
            conn = self._db()
            with _immediate(conn):
                (attempt,) = conn.execute(
                    "SELECT COALESCE(MAX(attempt), 0) + 1 FROM events WHERE lesson = ? AND question_id = ?",
                    (row[0], row[1]),
                ).fetchone()
                conn.execute(_INSERT, (*row[:at], attempt, *row[at + 1:]))
        return int(attempt)

    def _row(self, lesson: str, question_id: str, question_type: str, response: Any, response_text: str,
             correct: bool, score: float, attempt: int) -> tuple[Any, ...]:
        score = float(score)
        if not 0.0 <= score <= 1.0:  # also rejects NaN
            raise ValueError(f"score must be between 0 and 1, got {score!r}")
        return (
            str(lesson),
            str(question_id),
            str(question_type),
            encode_response(response),
            str(response_text),
            1 if correct else 0,
            score,
            attempt,
            _format_time(self._clock()),
        )

    def reset(self, lesson: str | None = None) -> int:
        """Delete saved answers (of one lesson, or all); return how many were deleted."""
        with self._lock:
            if lesson is None:
                cursor = self._db().execute("DELETE FROM events")
            else:
                cursor = self._db().execute("DELETE FROM events WHERE lesson = ?", (lesson,))
            self.reset_review(lesson)
            return cursor.rowcount

    # -- reading -------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db().execute(sql, params).fetchall()

    def events(self, lesson: str | None = None) -> pd.DataFrame:
        """Every saved answer in the order given, columns ``EVENT_COLUMNS``."""
        import pandas as pd

        sql = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
        params: tuple[Any, ...] = ()
        if lesson is not None:
            sql += " WHERE lesson = ?"
            params = (lesson,)
        frame = pd.DataFrame(self._rows(sql + " ORDER BY id", params), columns=list(EVENT_COLUMNS))
        return frame.astype({"correct": bool, "score": float, "attempt": int})

    def attempts(self, lesson: str, question_id: str) -> int:
        """How many answers to this question have been saved."""
        return int(
            self._rows(
                "SELECT COUNT(*) FROM events WHERE lesson = ? AND question_id = ?",
                (lesson, question_id),
            )[0][0]
        )

    def lesson_summaries(self) -> list[LessonSummary]:
        """Per lesson, by lesson id: questions answered, attempts, mean best score, questions got right.

        :meth:`summary` as plain rows: the progress dashboard shows them without importing pandas.
        """
        rows = self._rows(
            """
            SELECT lesson, COUNT(*), SUM(n), AVG(best), SUM(ok)
            FROM (SELECT lesson, question_id, COUNT(*) AS n, MAX(score) AS best, MAX(correct) AS ok
                  FROM events GROUP BY lesson, question_id)
            GROUP BY lesson ORDER BY lesson
            """
        )
        return [LessonSummary(lesson, int(answered), int(attempts), float(mean), int(right))
                for lesson, answered, attempts, mean, right in rows]

    def summary(self) -> pd.DataFrame:
        """:meth:`lesson_summaries` as a DataFrame, columns ``SUMMARY_COLUMNS``."""
        import pandas as pd

        frame = pd.DataFrame(self.lesson_summaries(), columns=list(SUMMARY_COLUMNS))
        return frame.astype(
            {"questions_answered": int, "attempts": int, "mean_best_score": float, "correct_questions": int}
        )

    def review_items(self, limit: int = 5) -> list[ReviewItem]:
        """Questions not yet answered fully right, worst best score first (:meth:`review_next` as plain rows)."""
        rows = self._rows(
            """
            SELECT lesson, question_id,
                   (SELECT e2.question_type FROM events AS e2
                    WHERE e2.lesson = e.lesson AND e2.question_id = e.question_id
                    ORDER BY e2.id DESC LIMIT 1),
                   MAX(score), COUNT(*), MAX(time)
            FROM events AS e
            GROUP BY lesson, question_id
            HAVING MAX(score) < 1
            ORDER BY MAX(score), COUNT(*) DESC, lesson, question_id
            LIMIT ?
            """,
            (int(limit),),
        )
        return [ReviewItem(lesson, question_id, question_type, float(best), int(attempts), last_time)
                for lesson, question_id, question_type, best, attempts, last_time in rows]

    def review_next(self, limit: int = 5) -> pd.DataFrame:
        """:meth:`review_items` as a DataFrame, columns ``REVIEW_NEXT_COLUMNS``."""
        import pandas as pd

        frame = pd.DataFrame(self.review_items(limit), columns=list(REVIEW_NEXT_COLUMNS))
        return frame.astype({"best_score": float, "attempts": int})

    def export_csv(self, path: str | os.PathLike[str], learner: str = "") -> int:
        """Write every saved answer to a CSV file for an instructor; return the row count."""
        from backlessons import __version__

        from backlessons.csvfile import rows_to_csv, write_atomic

        rows = self._rows(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY id")
        correct_at = EVENT_COLUMNS.index("correct")

        def exported(row: tuple[Any, ...]) -> list[Any]:
            values = list(row)
            values[correct_at] = "true" if values[correct_at] else "false"
            return [EXPORT_FORMAT, learner, *values, __version__]

        # Text cells a spreadsheet would run as a formula get a leading ' (backlessons.csvfile);
        # the file is replaced whole, so a failed export never leaves half a file.
        write_atomic(path, rows_to_csv(EXPORT_COLUMNS, (exported(row) for row in rows)))
        return len(rows)

    # -- review state (spaced review; the scheduling itself lives in backlessons.review) --

    def reset_review(self, lesson: str | None = None) -> int:
        """Delete review state (of one lesson, or all); return how many questions lost it."""
        with self._lock:
            if lesson is None:
                cursor = self._db().execute("DELETE FROM review_state")
            else:
                cursor = self._db().execute("DELETE FROM review_state WHERE lesson = ?", (lesson,))
            return cursor.rowcount

    def stale_review_questions(self) -> list[tuple[str, str]]:
        """(lesson, question id) of answered questions whose review state misses newer answers.

        Also drops review state left without any answer (answers deleted by an older
        backlessons, say), so the table never schedules a question nobody answered.
        """
        orphaned = (
            "FROM review_state WHERE NOT EXISTS (SELECT 1 FROM events AS e "
            "WHERE e.lesson = review_state.lesson AND e.question_id = review_state.question_id)"
        )
        with self._lock:
            db = self._db()
            # Look before deleting: the usual answer is "none", and a read takes no write lock.
            if db.execute(f"SELECT 1 {orphaned} LIMIT 1").fetchone():
                db.execute(f"DELETE {orphaned}")
            return [
                (str(lesson), str(question_id))
                for lesson, question_id in db.execute(
                    """
                    SELECT g.lesson, g.question_id
                    FROM (SELECT lesson, question_id, MAX(id) AS newest FROM events
                          GROUP BY lesson, question_id) AS g
                    LEFT JOIN review_state AS r ON r.lesson = g.lesson AND r.question_id = g.question_id
                    WHERE r.last_event IS NULL OR r.last_event != g.newest
                    ORDER BY g.lesson, g.question_id
                    """
                ).fetchall()
            ]

    def question_history(self, lesson: str, question_id: str) -> list[tuple[int, bool, str]]:
        """(event id, correct, time) of every answer to one question, oldest first."""
        rows = self._rows(
            "SELECT id, correct, time FROM events WHERE lesson = ? AND question_id = ? ORDER BY id",
            (lesson, question_id),
        )
        return [(int(event_id), bool(correct), str(moment)) for event_id, correct, moment in rows]

    def save_review_states(self, states: list[tuple[str, str, str, str, int]]) -> None:
        """Replace the review state of some questions: (lesson, question id, card, due, last event id).

        One transaction; a row whose ``last_event`` is older than the one saved (another
        kernel got there first with newer answers) is left alone.
        """
        if not states:
            return
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    """
                    INSERT INTO review_state (lesson, question_id, card, due, last_event) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (lesson, question_id) DO UPDATE
                    SET card = excluded.card, due = excluded.due, last_event = excluded.last_event
                    WHERE excluded.last_event >= review_state.last_event
                    """,
                    states,
                )
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def review_states(self, due_before: str | None = None, limit: int | None = None) -> list[tuple[str, str, str, str]]:
        """(lesson, question id, card, due) of every question with review state, earliest due first.

        ``due_before`` (UTC ISO 8601 text) keeps only those due strictly before it.
        """
        sql = "SELECT lesson, question_id, card, due FROM review_state"
        params: list[Any] = []
        if due_before is not None:
            sql += " WHERE due < ?"
            params.append(due_before)
        sql += " ORDER BY due, lesson, question_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in self._rows(sql, tuple(params))]

    def export_review_csv(self, path: str | os.PathLike[str], learner: str = "") -> int:
        """Write the review state (columns ``REVIEW_EXPORT_COLUMNS``) to a CSV file; return the row count.

        ``card`` is the FSRS card as JSON (fsrs ``Card.to_json``); ``due`` is UTC ISO 8601.
        Cells are neutralised and the file replaced atomically (``backlessons.csvfile``).
        """
        from backlessons.csvfile import rows_to_csv, write_atomic

        rows = [(EXPORT_FORMAT, learner, lesson, question_id, due, card)
                for lesson, question_id, card, due in self.review_states()]
        write_atomic(path, rows_to_csv(REVIEW_EXPORT_COLUMNS, rows))
        return len(rows)
