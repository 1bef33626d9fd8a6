"""The game store: every game, team, decision, result, event and trainer action, in one database.

A SQLite file by default (WAL journal, foreign keys on, writers wait up to 30 s for each other
instead of failing) or a PostgreSQL database by URL; SQLAlchemy Core, no ORM. JSON is stored as
TEXT (``json.dumps(..., sort_keys=True)``) and times as aware UTC, so both databases give back
the same values. Tables are made on first use.

Rules the store enforces (the web pages and the trainer's console rely on them):

* A game has ``round`` = rounds completed (0 at the start); teams submit for the *open* round,
  ``round + 1``. A second submission by a team for a round replaces the first (one row per team
  and round, an upsert in one transaction).
* ``status``: ``open`` -- teams submit, rounds run; ``paused`` -- submissions are refused
  (:class:`GameClosed`), the trainer can still run, undo and prepare rounds (pause, then run the
  round: nobody changes a decision while it runs); ``finished`` -- submissions, rounds, undo and
  events are refused; the trainer can set the status back to open.
* If the definition has a whole number ``rounds``, no round past it runs and no decision is taken
  once all have run.
* A deadline is information for the teams (the store does not refuse late decisions: the round
  runs when the trainer says so). Recording or undoing a round clears it.
* Codes: 10 characters from ``23456789ABCDEFGHJKLMNPQRSTUVWXYZ`` (50 bits) drawn with
  :mod:`secrets`, unique across the store (primary key), read case-insensitively with spaces and
  dashes ignored. A team's code gives that team's rows only; :meth:`GameStore.export` holds no code.
* Every change writes an audit row (who, when, what) in the same transaction.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    delete,
    event,
    exc,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.types import TypeDecorator

from simulation.messages import t

SCHEMA_VERSION = 1
STATUSES = ("open", "paused", "finished")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 32 ** 10 = 2 ** 50
BUSY_TIMEOUT_S = 30  # how long a SQLite writer waits for another before giving up
_CODE_NOISE = re.compile(r"[\s\-]+")
_LOCK_KEY = 7_402_651_153  # pg_advisory_xact_lock key for making the tables


class GameError(Exception):
    """Anything the store refuses; ``str(error)`` is a one-line message for a person."""


class UnknownCode(GameError, LookupError):
    """A code that is not a team's (or this game's trainer's) code."""


class UnknownGame(GameError, LookupError):
    """A game id that is not in the store."""


class RoundConflict(GameError):
    """A round that cannot run, be undone or receive an event now (someone else moved the game on)."""


class GameClosed(GameError):
    """The game is paused or finished and refuses the change."""


class BadStore(GameError):
    """The database cannot be opened (names the path or URL and why)."""


# --- schema ------------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator):
    """An aware datetime in UTC on both databases (SQLite keeps it as naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

meta_table = Table(
    "store_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
games = Table(
    "games",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("definition", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("round", Integer, nullable=False),
    Column("deadline", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)
teams_table = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("market", Integer, nullable=False),
    Column("firm", Integer, nullable=False),
    UniqueConstraint("game_id", "name", name="uq_teams_name"),
    UniqueConstraint("game_id", "market", "firm", name="uq_teams_firm"),
)
codes = Table(  # one table for trainer and team codes: the primary key makes every code unique
    "codes",
    metadata,
    Column("code", String(CODE_LENGTH), primary_key=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), unique=True),  # NULL: the trainer's code
)
decisions_table = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("decisions", Text, nullable=False),
    Column("carried", Boolean, nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("submitted_by", String(200), nullable=False),
    UniqueConstraint("team_id", "round", name="uq_decisions_team_round"),
    Index("ix_decisions_game_round", "game_id", "round"),
)
results_table = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("results", Text, nullable=False),
    UniqueConstraint("team_id", "round", name="uq_results_team_round"),
    Index("ix_results_game_round", "game_id", "round"),
)
market_info_table = Table(
    "market_info",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("market", Integer, nullable=False),
    Column("info", Text, nullable=False),
    UniqueConstraint("game_id", "round", "market", name="uq_market_info"),
)
events_table = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("event", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_events_game", "game_id"),
)
audit_table = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, ForeignKey("games.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("who", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_audit_game", "game_id"),
)


# --- small helpers -----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _dump(value: Any, field: str) -> str:
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise GameError(t("game.store.not_json", field=field, reason=error)) from None


def _dict(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise GameError(t("game.store.not_dict", field=field, kind=type(value).__name__))
    return value


def _round(value: Any, field: str = "round") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise GameError(t("game.store.round_value", field=field, value=value))
    return value


def normalise_code(code: Any) -> str | None:
    """``'abcde-fghjk'`` -> ``'ABCDEFGHJK'``; None for anything that cannot be a code."""
    if not isinstance(code, str):
        return None
    cleaned = _CODE_NOISE.sub("", code).upper()
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return cleaned


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# --- opening the database ----------------------------------------------------------------------


def _sqlite_file(path: Path, shown: str) -> Path:
    if path.is_dir():
        raise BadStore(t("game.store.store_is_folder", path=shown))
    folder = path.parent
    if not folder.is_dir():
        raise BadStore(t("game.store.store_no_folder", path=shown, folder=folder))
    return path


def _locate(where: str | os.PathLike) -> tuple[URL, str]:
    """The SQLAlchemy URL for ``where`` and how to name it in a message (no password)."""
    if isinstance(where, os.PathLike) or "://" not in str(where):
        if str(where) in ("", ":memory:"):
            raise BadStore(t("game.store.store_memory", where=str(where)))
        path = Path(where).expanduser()
        _sqlite_file(path, str(path))
        return URL.create("sqlite", database=str(path.resolve())), str(path)
    try:
        url = make_url(str(where))
    except exc.ArgumentError:
        raise BadStore(t("game.store.store_kind", where=str(where))) from None
    shown = url.render_as_string(hide_password=True)
    backend, _, driver = url.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
            raise BadStore(t("game.store.store_memory", where=shown))
        _sqlite_file(Path(url.database).expanduser(), url.database)
        return url.set(drivername="sqlite"), url.database
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise BadStore(t("game.store.store_no_driver", where=shown)) from None
        return url.set(drivername="postgresql+psycopg"), shown
    raise BadStore(t("game.store.store_kind", where=shown))


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


# --- the store ---------------------------------------------------------------------------------


class GameStore:
    """Games, teams, decisions, results, events and the audit trail in one database.

    ``where`` is a file path (a SQLite file; its folder must exist) or a URL: ``sqlite:///...``,
    ``postgresql://...`` or ``postgresql+psycopg://...`` (plain ``postgresql://`` uses psycopg 3).
    One store object may be shared by threads; several processes may open the same database.
    """

    def __init__(self, where: str | os.PathLike):
        url, self._shown = _locate(where)
        self.where = url.render_as_string(hide_password=True)  # names this database (e.g. for caches)
        self._sqlite = url.get_backend_name() == "sqlite"
        try:
            self._engine = self._make_engine(url)
            self._create_tables()
        except BadStore:
            self._dispose()
            raise
        except (exc.SQLAlchemyError, sqlite3.Error, OSError) as error:
            self._dispose()
            if (
                self._sqlite
                and isinstance(getattr(error, "orig", error), sqlite3.DatabaseError)
                and "not a database" in str(error)
            ):
                raise BadStore(
                    t("game.store.store_not_database", path=self._shown, reason=_reason(error))
                ) from None
            raise BadStore(
                t("game.store.store_cannot_open", where=self._shown, reason=_reason(error))
            ) from None

    def _dispose(self) -> None:
        engine = getattr(self, "_engine", None)
        if engine is not None:
            engine.dispose()

    def _make_engine(self, url: URL) -> Engine:
        if not self._sqlite:
            return create_engine(
                url, pool_pre_ping=True, pool_size=5, max_overflow=15, connect_args={"connect_timeout": 10}
            )
        engine = create_engine(
            url,
            pool_size=10,
            max_overflow=30,
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _configure(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # the "begin" hook below emits BEGIN itself
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):
            # Writers take the write lock at once (BEGIN IMMEDIATE), so two writers queue on the
            # busy timeout instead of one failing when it upgrades a read lock.
            writing = connection.get_execution_options().get("retention_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine

    def close(self) -> None:
        """Close every pooled connection (the store can be opened again)."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GameStore({self._shown!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction: all of it is committed, or none of it."""
        with self._engine.connect() as conn:
            conn.execution_options(retention_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """One read transaction on one snapshot of the database."""
        with self._engine.connect() as conn:
            if not self._sqlite:
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _create_tables(self) -> None:
        with self._write() as conn:
            if not self._sqlite:  # two processes opening a new database make the tables one after the other
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            metadata.create_all(conn)
            found = conn.scalar(select(meta_table.c.value).where(meta_table.c.key == "schema_version"))
            if found is None:
                conn.execute(insert(meta_table).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif found != str(SCHEMA_VERSION):
                raise BadStore(
                    t("game.store.store_version", where=self._shown, found=found, wanted=SCHEMA_VERSION)
                )

    def _upsert(self):
        if self._sqlite:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        return dialect_insert

    # --- reading rows --------------------------------------------------------------------------

    def _game_row(self, conn: Connection, game_id: Any, lock: str | None = None):
        query = select(games).where(games.c.id == game_id)
        if lock == "share":
            query = query.with_for_update(
                read=True
            )  # PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises
        elif lock == "update":
            query = query.with_for_update()
        row = None
        if isinstance(game_id, int) and not isinstance(game_id, bool):
            row = conn.execute(query).first()
        if row is None:
            raise UnknownGame(t("game.store.unknown_game", game=game_id))
        return row

    @staticmethod
    def _game_dict(row) -> dict:
        return {
            "id": row.id,
            "definition": json.loads(row.definition),
            "status": row.status,
            "round": row.round,
            "deadline": row.deadline,
            "created_at": row.created_at,
        }

    @staticmethod
    def _team_dict(row) -> dict:
        return {"id": row.id, "game": row.game_id, "name": row.name, "market": row.market, "firm": row.firm}

    def _team_row_for_code(self, conn: Connection, code: Any):
        cleaned = normalise_code(code)
        row = None
        if cleaned is not None:
            row = conn.execute(
                select(teams_table)
                .join(codes, codes.c.team_id == teams_table.c.id)
                .where(codes.c.code == cleaned)
            ).first()
        if row is None:
            raise UnknownCode(t("game.store.unknown_team_code", code=code))
        return row

    def _check_trainer(self, conn: Connection, game_id: int, code: Any) -> None:
        cleaned = normalise_code(code)
        found = None
        if cleaned is not None:
            found = conn.scalar(
                select(codes.c.code).where(
                    and_(codes.c.code == cleaned, codes.c.game_id == game_id, codes.c.team_id.is_(None))
                )
            )
        if found is None:
            raise UnknownCode(t("game.store.unknown_trainer_code", code=code, game=game_id))

    def _team_ids(self, conn: Connection, game_id: int) -> set[int]:
        return set(conn.scalars(select(teams_table.c.id).where(teams_table.c.game_id == game_id)))

    def _audit(self, conn: Connection, game_id: int, who: str, action: str, detail: dict) -> None:
        conn.execute(
            insert(audit_table).values(
                game_id=game_id, at=_now(), who=str(who)[:200], action=action, detail=_dump(detail, "audit")
            )
        )

    @staticmethod
    def _last_round(definition: dict) -> int | None:
        rounds = definition.get("rounds")
        return rounds if isinstance(rounds, int) and not isinstance(rounds, bool) and rounds >= 1 else None

    # --- games ---------------------------------------------------------------------------------

    def create_game(self, definition: dict, teams: list[dict]) -> dict:
        """A new open game at round 0 with its teams; returns the trainer's and the teams' codes."""
        definition_text = _dump(_dict(definition, "definition"), "definition")
        checked = self._check_teams(teams)
        for attempt in range(3):  # a new code equal to a stored one (odds ~2**-50) draws them again
            try:
                return self._create_game(definition_text, checked)
            except exc.IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _check_teams(teams: Any) -> list[dict]:
        if not isinstance(teams, list) or not teams:
            raise GameError(t("game.store.no_teams", count=len(teams) if isinstance(teams, list) else 0))
        names, firms, checked = set(), set(), []
        for index, team in enumerate(teams):
            team = _dict(team, f"teams[{index}]")
            name = team.get("name")
            if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
                raise GameError(t("game.store.team_name", index=index, value=name))
            name = name.strip()
            numbers = {}
            for field in ("market", "firm"):
                value = team.get(field)
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise GameError(t("game.store.team_number", index=index, field=field, value=value))
                numbers[field] = value
            if name.casefold() in names:
                raise GameError(t("game.store.team_name_twice", index=index, value=name))
            if (numbers["market"], numbers["firm"]) in firms:
                raise GameError(t("game.store.team_firm_twice", index=index, **numbers))
            names.add(name.casefold())
            firms.add((numbers["market"], numbers["firm"]))
            checked.append({"name": name, **numbers})
        return checked

    def _create_game(self, definition_text: str, teams: list[dict]) -> dict:
        with self._write() as conn:
            game_id = conn.execute(
                insert(games).values(
                    definition=definition_text, status="open", round=0, deadline=None, created_at=_now()
                )
            ).inserted_primary_key[0]
            drawn: set[str] = set()

            def fresh_code() -> str:
                while True:
                    code = _new_code()
                    if (
                        code not in drawn
                        and conn.scalar(select(codes.c.code).where(codes.c.code == code)) is None
                    ):
                        drawn.add(code)
                        return code

            trainer = fresh_code()
            conn.execute(insert(codes).values(code=trainer, game_id=game_id, team_id=None))
            out = []
            for team in teams:
                team_id = conn.execute(
                    insert(teams_table).values(game_id=game_id, **team)
                ).inserted_primary_key[0]
                code = fresh_code()
                conn.execute(insert(codes).values(code=code, game_id=game_id, team_id=team_id))
                out.append(
                    {
                        "team": team["name"],
                        "id": team_id,
                        "market": team["market"],
                        "firm": team["firm"],
                        "code": code,
                    }
                )
            self._audit(
                conn,
                game_id,
                "trainer",
                "create_game",
                {"teams": [{k: t[k] for k in ("id", "team", "market", "firm")} for t in out]},
            )
        return {"game": game_id, "trainer": trainer, "teams": out}

    def games(self) -> list[dict]:
        """Every game in the store, oldest first (``id``, ``name``, ``status``, ``round``)."""
        with self._read() as conn:
            rows = conn.execute(select(games).order_by(games.c.id)).all()
            return [
                {
                    "id": row.id,
                    "name": json.loads(row.definition).get("name", ""),
                    "status": row.status,
                    "round": row.round,
                }
                for row in rows
            ]

    def game(self, game_id: int) -> dict:
        """The game: id, definition, status, round (completed), deadline (aware UTC or None), created_at."""
        with self._read() as conn:
            return self._game_dict(self._game_row(conn, game_id))

    def game_for_trainer(self, code: str) -> dict:
        """The game whose trainer's code is ``code``; :class:`UnknownCode` otherwise."""
        cleaned = normalise_code(code)
        with self._read() as conn:
            game_id = None
            if cleaned is not None:
                game_id = conn.scalar(
                    select(codes.c.game_id).where(and_(codes.c.code == cleaned, codes.c.team_id.is_(None)))
                )
            if game_id is None:
                raise UnknownCode(t("game.store.unknown_any_trainer_code", code=code))
            return self._game_dict(self._game_row(conn, game_id))

    def team_for_code(self, code: str) -> dict:
        """The team whose code is ``code``: id, game, name, market, firm; :class:`UnknownCode` otherwise."""
        with self._read() as conn:
            return self._team_dict(self._team_row_for_code(conn, code))

    def teams(self, game_id: int) -> list[dict]:
        """The game's teams (without their codes), in the order they were given."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            rows = conn.execute(
                select(teams_table).where(teams_table.c.game_id == game_id).order_by(teams_table.c.id)
            )
            return [self._team_dict(row) for row in rows]

    def team_codes(self, game_id: int, trainer_code: str) -> list[dict]:
        """The teams with their codes, for the trainer who hands them out again."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            self._check_trainer(conn, game_id, trainer_code)
            rows = conn.execute(
                select(teams_table, codes.c.code)
                .join(codes, codes.c.team_id == teams_table.c.id)
                .where(teams_table.c.game_id == game_id)
                .order_by(teams_table.c.id)
            )
            return [{**self._team_dict(row), "code": row.code} for row in rows]

    # --- decisions -----------------------------------------------------------------------------

    def submit(self, team_code: str, decisions: dict, *, for_round: int | None = None, by: str = "") -> dict:
        """Store the team's decisions for the open round (replacing an earlier submission).

        Returns ``{"round": open_round, "moved": False}``, or, when ``for_round`` has already run,
        ``{"round": open_round, "moved": True, "asked": for_round}``. Refuses a paused or finished
        game (:class:`GameClosed`) and a ``for_round`` that has not opened yet (:class:`RoundConflict`).
        """
        payload = _dump(_dict(decisions, "decisions"), "decisions")
        if for_round is not None:
            _round(for_round, "for_round")
        with self._write() as conn:
            return self._submit(conn, team_code, decisions, payload, for_round, by)

    def _submit(self, conn: Connection, team_code, decisions: dict, payload: str, for_round, by: str) -> dict:
        team = self._team_row_for_code(conn, team_code)
        game = self._game_row(conn, team.game_id, lock="share")
        if game.status == "finished":
            raise GameClosed(t("game.store.game_finished", game=game.id))
        if game.status == "paused":
            raise GameClosed(t("game.store.game_paused", game=game.id))
        last = self._last_round(json.loads(game.definition))
        if last is not None and game.round >= last:
            raise GameClosed(t("game.store.all_rounds_run", game=game.id, rounds=last))
        open_round = game.round + 1
        if for_round is not None and for_round > open_round:
            raise RoundConflict(
                t("game.store.round_not_open", asked=for_round, game=game.id, open=open_round)
            )
        moved = for_round is not None and for_round < open_round
        now, by = _now(), str(by)[:200]
        upsert = self._upsert()(decisions_table).values(
            game_id=game.id,
            team_id=team.id,
            round=open_round,
            decisions=payload,
            carried=False,
            submitted_at=now,
            submitted_by=by,
        )
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[decisions_table.c.team_id, decisions_table.c.round],
                set_={
                    "decisions": upsert.excluded.decisions,
                    "carried": False,
                    "submitted_at": upsert.excluded.submitted_at,
                    "submitted_by": upsert.excluded.submitted_by,
                },
            )
        )
        answer = {"round": open_round, "moved": moved}
        if moved:
            answer["asked"] = for_round
        self._audit(
            conn,
            game.id,
            by,
            "submit",
            {
                "team": team.id,
                "round": open_round,
                "decisions": decisions,
                "moved": moved,
                **({"asked": for_round} if moved else {}),
            },
        )
        return answer

    def decisions(self, game_id: int, round: int) -> dict[int, dict]:
        """Team id -> decisions for ``round`` (submitted, or carried over when the round ran)."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            rows = conn.execute(
                select(decisions_table.c.team_id, decisions_table.c.decisions).where(
                    and_(decisions_table.c.game_id == game_id, decisions_table.c.round == round)
                )
            )
            return {row.team_id: json.loads(row.decisions) for row in rows}

    def submitted(self, game_id: int, round: int) -> dict[int, bool]:
        """Team id -> True if the team itself submitted for ``round`` (carried rows count False), for every team."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            done = set(
                conn.scalars(
                    select(decisions_table.c.team_id).where(
                        and_(
                            decisions_table.c.game_id == game_id,
                            decisions_table.c.round == round,
                            decisions_table.c.carried.is_(False),
                        )
                    )
                )
            )
            return {team_id: team_id in done for team_id in sorted(self._team_ids(conn, game_id))}

    def history(self, game_id: int) -> list[dict]:
        """Every decision row of the game, by round then team: team, round, decisions, submitted_at, by, carried."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            return self._history(conn, game_id)

    @staticmethod
    def _history(conn: Connection, game_id: int) -> list[dict]:
        rows = conn.execute(
            select(decisions_table)
            .where(decisions_table.c.game_id == game_id)
            .order_by(decisions_table.c.round, decisions_table.c.team_id)
        )
        return [
            {
                "team": r.team_id,
                "round": r.round,
                "decisions": json.loads(r.decisions),
                "submitted_at": r.submitted_at,
                "by": r.submitted_by,
                "carried": bool(r.carried),
            }
            for r in rows
        ]

    # --- rounds --------------------------------------------------------------------------------

    def record_round(
        self,
        game_id: int,
        round: int,
        results: dict[int, dict],
        carried: dict[int, dict],
        market_info: dict | None = None,
        *,
        by: str = "",
    ) -> None:
        """Store a round that has run, in one transaction (all or nothing).

        ``round`` must be the open round (else :class:`RoundConflict`: somebody else advanced the
        game). ``carried`` (team id -> decisions) are stored, flagged carried, for teams that did not
        submit (a team in ``carried`` that has submitted meanwhile is a :class:`RoundConflict`);
        ``results`` (team id -> dict) one row per team; ``market_info`` (market -> public dict)
        one row per market. The game's round becomes ``round`` and its deadline is cleared.
        """
        _round(round)
        results = _dict(results, "results")
        carried = _dict(carried, "carried")
        market_info = _dict(market_info if market_info is not None else {}, "market_info")
        with self._write() as conn:
            game = self._game_row(conn, game_id, lock="update")
            if game.status == "finished":
                raise GameClosed(t("game.store.game_finished", game=game.id))
            if round != game.round + 1:
                raise RoundConflict(
                    t(
                        "game.store.round_conflict",
                        round=round,
                        game=game.id,
                        done=game.round,
                        expected=game.round + 1,
                    )
                )
            last = self._last_round(json.loads(game.definition))
            if last is not None and round > last:
                raise RoundConflict(t("game.store.round_past_last", round=round, game=game.id, rounds=last))
            team_ids = self._team_ids(conn, game.id)
            for field, given in (("results", results), ("carried", carried)):
                for team_id in given:
                    if team_id not in team_ids:
                        raise GameError(t("game.store.unknown_team", field=field, team=team_id, game=game.id))
            already = set(
                conn.scalars(
                    select(decisions_table.c.team_id).where(
                        and_(decisions_table.c.game_id == game.id, decisions_table.c.round == round)
                    )
                )
            )
            now = _now()
            for team_id, chosen in carried.items():
                if team_id in already:
                    raise RoundConflict(
                        t("game.store.carried_submitted", team=team_id, round=round, game=game.id)
                    )
                conn.execute(
                    insert(decisions_table).values(
                        game_id=game.id,
                        team_id=team_id,
                        round=round,
                        decisions=_dump(_dict(chosen, f"carried[{team_id}]"), f"carried[{team_id}]"),
                        carried=True,
                        submitted_at=now,
                        submitted_by="",
                    )
                )
            for team_id, values in results.items():
                conn.execute(
                    insert(results_table).values(
                        game_id=game.id,
                        team_id=team_id,
                        round=round,
                        results=_dump(_dict(values, f"results[{team_id}]"), f"results[{team_id}]"),
                    )
                )
            for market, info in market_info.items():
                if isinstance(market, bool) or not isinstance(market, int) or market < 0:
                    raise GameError(t("game.store.market_value", value=market))
                conn.execute(
                    insert(market_info_table).values(
                        game_id=game.id,
                        round=round,
                        market=market,
                        info=_dump(_dict(info, f"market_info[{market}]"), f"market_info[{market}]"),
                    )
                )
            conn.execute(update(games).where(games.c.id == game.id).values(round=round, deadline=None))
            self._audit(
                conn,
                game.id,
                by,
                "record_round",
                {"round": round, "carried": sorted(carried), "results": sorted(results)},
            )

    def results(self, game_id: int, round: int | None = None) -> dict:
        """``{round: {team id: results}}`` for every round, or for ``round`` only (trainer's view)."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            query = select(results_table).where(results_table.c.game_id == game_id)
            if round is not None:
                query = query.where(results_table.c.round == round)
            out: dict[int, dict[int, dict]] = {}
            for row in conn.execute(query.order_by(results_table.c.round, results_table.c.team_id)):
                out.setdefault(row.round, {})[row.team_id] = json.loads(row.results)
            return out

    def results_for_team(self, team_code: str) -> dict:
        """``{round: results}`` of the team whose code this is, and nobody else's."""
        with self._read() as conn:
            team = self._team_row_for_code(conn, team_code)
            rows = conn.execute(
                select(results_table)
                .where(results_table.c.team_id == team.id)
                .order_by(results_table.c.round)
            )
            return {row.round: json.loads(row.results) for row in rows}

    def market_info(self, game_id: int, round: int | None = None) -> dict:
        """``{round: {market: info}}``: the public information recorded with each round."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            query = select(market_info_table).where(market_info_table.c.game_id == game_id)
            if round is not None:
                query = query.where(market_info_table.c.round == round)
            out: dict[int, dict[int, dict]] = {}
            for row in conn.execute(query.order_by(market_info_table.c.round, market_info_table.c.market)):
                out.setdefault(row.round, {})[row.market] = json.loads(row.info)
            return out

    def undo_round(self, game_id: int, trainer_code: str) -> int:
        """Take back the last round: its results, market information and carried decisions go (the
        teams' own submissions stay, so a team can correct one), the round goes back by one; returns it."""
        with self._write() as conn:
            game = self._game_row(conn, game_id, lock="update")
            self._check_trainer(conn, game.id, trainer_code)
            if game.status == "finished":
                raise GameClosed(t("game.store.game_finished", game=game.id))
            if game.round == 0:
                raise RoundConflict(t("game.store.nothing_to_undo", game=game.id))
            last = game.round
            gone = conn.execute(
                delete(results_table).where(
                    and_(results_table.c.game_id == game.id, results_table.c.round == last)
                )
            ).rowcount
            conn.execute(
                delete(market_info_table).where(
                    and_(market_info_table.c.game_id == game.id, market_info_table.c.round == last)
                )
            )
            uncarried = conn.execute(
                delete(decisions_table).where(
                    and_(
                        decisions_table.c.game_id == game.id,
                        decisions_table.c.round == last,
                        decisions_table.c.carried.is_(True),
                    )
                )
            ).rowcount
            conn.execute(update(games).where(games.c.id == game.id).values(round=last - 1, deadline=None))
            self._audit(
                conn,
                game.id,
                "trainer",
                "undo_round",
                {"round": last, "results_removed": gone, "carried_removed": uncarried},
            )
            return last - 1

    # --- trainer controls ----------------------------------------------------------------------

    def set_deadline(self, game_id: int, trainer_code: str, when: datetime | None) -> None:
        """The open round's deadline (an aware datetime, kept in UTC), or None for none."""
        if when is not None and (
            not isinstance(when, datetime) or when.tzinfo is None or when.utcoffset() is None
        ):
            raise GameError(t("game.store.bad_deadline", when=when))
        with self._write() as conn:
            game = self._game_row(conn, game_id, lock="update")
            self._check_trainer(conn, game.id, trainer_code)
            conn.execute(update(games).where(games.c.id == game.id).values(deadline=when))
            self._audit(
                conn,
                game.id,
                "trainer",
                "set_deadline",
                {"deadline": _iso(when.astimezone(UTC) if when else None)},
            )

    def set_status(self, game_id: int, trainer_code: str, status: str) -> None:
        """``open``, ``paused`` or ``finished`` (see the module's docstring for what each allows)."""
        if status not in STATUSES:
            raise GameError(t("game.store.bad_status", status=status))
        with self._write() as conn:
            game = self._game_row(conn, game_id, lock="update")
            self._check_trainer(conn, game.id, trainer_code)
            conn.execute(update(games).where(games.c.id == game.id).values(status=status))
            self._audit(conn, game.id, "trainer", "set_status", {"from": game.status, "to": status})

    def add_event(self, game_id: int, trainer_code: str, round: int, event: dict) -> int:
        """An event (a JSON dict) for a round that has not run yet; returns its id."""
        _round(round)
        payload = _dump(_dict(event, "event"), "event")
        with self._write() as conn:
            game = self._game_row(conn, game_id, lock="update")
            self._check_trainer(conn, game.id, trainer_code)
            if game.status == "finished":
                raise GameClosed(t("game.store.game_finished", game=game.id))
            if round <= game.round:
                raise RoundConflict(
                    t("game.store.round_has_run", round=round, game=game.id, open=game.round + 1)
                )
            last = self._last_round(json.loads(game.definition))
            if last is not None and round > last:
                raise RoundConflict(t("game.store.round_past_last", round=round, game=game.id, rounds=last))
            event_id = conn.execute(
                insert(events_table).values(game_id=game.id, round=round, event=payload, created_at=_now())
            ).inserted_primary_key[0]
            self._audit(
                conn, game.id, "trainer", "add_event", {"id": event_id, "round": round, "event": event}
            )
            return event_id

    def events(self, game_id: int) -> dict[int, list[dict]]:
        """``{round: [event, ...]}`` in the order they were added."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            out: dict[int, list[dict]] = {}
            for row in conn.execute(
                select(events_table)
                .where(events_table.c.game_id == game_id)
                .order_by(events_table.c.round, events_table.c.id)
            ):
                out.setdefault(row.round, []).append(json.loads(row.event))
            return out

    def audit(self, game_id: int) -> list[dict]:
        """Every change to the game, oldest first: id, at, who, action, detail."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            return self._audit_rows(conn, game_id)

    @staticmethod
    def _audit_rows(conn: Connection, game_id: int) -> list[dict]:
        rows = conn.execute(
            select(audit_table).where(audit_table.c.game_id == game_id).order_by(audit_table.c.id)
        )
        return [
            {"id": r.id, "at": r.at, "who": r.who, "action": r.action, "detail": json.loads(r.detail)}
            for r in rows
        ]

    def export(self, game_id: int) -> dict:
        """Everything about the game as plain JSON-able data (times as ISO text), without any code."""
        with self._read() as conn:
            game = self._game_dict(self._game_row(conn, game_id))
            teams = [
                self._team_dict(r)
                for r in conn.execute(
                    select(teams_table).where(teams_table.c.game_id == game_id).order_by(teams_table.c.id)
                )
            ]
            history = self._history(conn, game_id)
            results = [
                {"team": r.team_id, "round": r.round, "results": json.loads(r.results)}
                for r in conn.execute(
                    select(results_table)
                    .where(results_table.c.game_id == game_id)
                    .order_by(results_table.c.round, results_table.c.team_id)
                )
            ]
            info = [
                {"round": r.round, "market": r.market, "info": json.loads(r.info)}
                for r in conn.execute(
                    select(market_info_table)
                    .where(market_info_table.c.game_id == game_id)
                    .order_by(market_info_table.c.round, market_info_table.c.market)
                )
            ]
            events = [
                {"id": r.id, "round": r.round, "event": json.loads(r.event), "created_at": _iso(r.created_at)}
                for r in conn.execute(
                    select(events_table).where(events_table.c.game_id == game_id).order_by(events_table.c.id)
                )
            ]
            audit = self._audit_rows(conn, game_id)
        for row in history:
            row["submitted_at"] = _iso(row["submitted_at"])
        for row in audit:
            row["at"] = _iso(row["at"])
        game["deadline"], game["created_at"] = _iso(game["deadline"]), _iso(game["created_at"])
        return {
            "schema_version": SCHEMA_VERSION,
            "game": game,
            "teams": teams,
            "decisions": history,
            "results": results,
            "market_info": info,
            "events": events,
            "audit": audit,
        }

    # --- statistics for the console ------------------------------------------------------------

    def count_rows(self, game_id: int) -> dict[str, int]:
        """How many rows the game has in each table (for checks and the trainer's console)."""
        with self._read() as conn:
            self._game_row(conn, game_id)
            return {
                name: conn.scalar(select(func.count()).select_from(table).where(table.c.game_id == game_id))
                for name, table in (
                    ("teams", teams_table),
                    ("decisions", decisions_table),
                    ("results", results_table),
                    ("market_info", market_info_table),
                    ("events", events_table),
                    ("audit", audit_table),
                )
            }
