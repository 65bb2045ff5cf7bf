"""The session database's schema and its migrations.

Built on sqlite-utils' own migration support (``sqlite_utils.migrations.Migrations``, new in
sqlite-utils 4): each migration is a function registered, in order, on the ``MIGRATIONS`` set;
applied ones are recorded by name in the ``_sqlite_migrations`` table, each inside the same
transaction as its changes. The schema version is the number of migrations applied; it is
mirrored in ``PRAGMA user_version`` so other tools can read it without knowing our tables.

A database written by a newer release (a migration name we do not know, or a higher
``user_version``) is refused before anything is written to it: see ``SessionStore``.

Version history:

1. ``scenarios`` (full validated content by hash), ``sessions``, ``teams`` (controller and
   salted PIN hash), ``events`` (append-only log) and ``snapshots`` (state at the start of each
   turn, with its hash).
2. Archived branches: rewinding moves the later turns' events and snapshots to a numbered
   branch instead of deleting them. Adds ``branch`` to ``events`` and ``snapshots`` (0 = the
   live line of play) and a ``branches`` table describing each archived branch.
3. One writer, names, drafts: ``sessions.name`` (a human-readable name; existing sessions get
   their scenario's title and creation date); ``events.visibility`` (who may see an event,
   written by the session layer; NULL in older rows = the default of its kind);
   ``session_locks`` (every time an app held a session open: owner, host, pid, a secret
   token, heartbeat; at most one open row per session, enforced by a partial unique index;
   the rows also tell the orders clock when an app had the session open) and ``drafts`` (a
   team's unsubmitted orders, sealed, one row per session and team).
4. Bot postures: ``teams.posture`` (hawkish, balanced or dovish, chosen at set-up; NULL for
   humans and for bots playing the scenario's own style, which is what older rows mean).
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "wargame"
MIGRATIONS = Migrations(MIGRATION_SET)


@MIGRATIONS(name="m001_initial")
def m001_initial(db: Database) -> None:
    db["scenarios"].create(
        {"hash": str, "scenario_id": str, "title": str, "content": str},
        pk="hash",
        not_null=["scenario_id", "content"],
    )
    db["sessions"].create(
        {
            "id": str,
            "scenario_hash": str,
            "scenario_id": str,
            "seed": int,
            "turn_limit": int,
            "timer_seconds": int,
            "facilitator_pin": str,
            "created_at": str,
            "updated_at": str,
            "status": str,
            "phase": str,
            "turn": int,
            "parent_session": str,
            "parent_turn": int,
        },
        pk="id",
        foreign_keys=[("scenario_hash", "scenarios", "hash")],
        not_null=["scenario_hash", "seed", "created_at", "updated_at", "status", "phase",
                  "turn"],
    )
    db["teams"].create(
        {"session_id": str, "team_id": str, "position": int, "controller": str,
         "pin_hash": str},
        pk=("session_id", "team_id"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null=["controller"],
    )
    db["events"].create(
        {"session_id": str, "seq": int, "turn": int, "kind": str, "payload": str,
         "created_at": str},
        pk=("session_id", "seq"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null=["turn", "kind", "payload", "created_at"],
    )
    db["snapshots"].create(
        {"session_id": str, "turn": int, "state": str, "state_hash": str, "created_at": str},
        pk=("session_id", "turn"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null=["state", "state_hash", "created_at"],
    )
    db["events"].create_index(["session_id", "turn"])
    db.execute("PRAGMA user_version = 1")


@MIGRATIONS(name="m002_archived_branches")
def m002_archived_branches(db: Database) -> None:
    db["events"].add_column("branch", int, not_null_default=0)
    db["snapshots"].add_column("branch", int, not_null_default=0)
    # one snapshot per (session, branch, turn): the primary key has to change
    db["snapshots"].transform(pk=("session_id", "branch", "turn"))
    db["events"].create_index(["session_id", "branch", "turn"])
    db["branches"].create(
        {"session_id": str, "branch": int, "from_turn": int, "to_turn": int,
         "archived_at": str, "reason": str},
        pk=("session_id", "branch"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null=["from_turn", "archived_at"],
    )
    db.execute("PRAGMA user_version = 2")


@MIGRATIONS(name="m003_one_writer_names_drafts")
def m003_one_writer_names_drafts(db: Database) -> None:
    db["sessions"].add_column("name", str, not_null_default="")
    db.execute(
        "update sessions set name = coalesce((select nullif(title, '') from scenarios "
        "where scenarios.hash = sessions.scenario_hash), scenario_id) || ' ' || "
        "substr(created_at, 1, 10)")
    db["events"].add_column("visibility", str)
    db["session_locks"].create(
        {"id": int, "session_id": str, "token": str, "owner": str, "host": str, "pid": int,
         "acquired_at": str, "heartbeat_at": str, "released_at": str, "released_how": str},
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null=["session_id", "token", "owner", "host", "pid", "acquired_at",
                  "heartbeat_at"],
    )
    db["session_locks"].create_index(["session_id", "acquired_at"])
    # one holder per session: at most one row that has not been released
    db.execute("create unique index session_locks_one_holder on session_locks(session_id) "
               "where released_at is null")
    db["drafts"].create(
        {"session_id": str, "team": str, "turn": int, "payload": str, "saved_at": str},
        pk=("session_id", "team"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null=["turn", "payload", "saved_at"],
    )
    db.execute("PRAGMA user_version = 3")


@MIGRATIONS(name="m004_bot_postures")
def m004_bot_postures(db: Database) -> None:
    db["teams"].add_column("posture", str)
    db.execute("PRAGMA user_version = 4")


MIGRATION_NAMES: tuple[str, ...] = tuple(m.name for m in MIGRATIONS.pending(Database(memory=True)))
SCHEMA_VERSION = len(MIGRATION_NAMES)
