"""``wargame import FILE``: the file is read with bounded size and nesting, and a fault is
blamed on what has it: the export file, or the database (never the file for the database's
fault). Store messages say each thing once."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from wargame.cli import main
from wargame.store import connection as store_module
from wargame.scenario.loader import load_scenario
from wargame.session.exercise import Exercise
from wargame.store.store import SessionStore

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


def test_a_fault_of_the_file_names_the_file(capsys, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"format": "wargame-session", "version": "one"}))
    code, err = run(capsys, "import", export, "--db", tmp_path / "db.sqlite")
    assert code == 2
    assert err == f"wargame: {export}: the export version is not a whole number\n"


def test_a_fault_of_the_database_names_the_database(capsys, tmp_path):
    """A read-only database refuses the write inside import: that is the database's fault,
    so the message names the database, not the export (it named the export before)."""
    export = tmp_path / "export.json"
    source = Exercise.create(tmp_path / "source.sqlite", load_scenario(MINI), seed=1)
    export.write_text(json.dumps(source.store.export_session(source.id)))  # a genuine one
    source.close()
    db = tmp_path / "db.sqlite"
    SessionStore(db).close()
    os.chmod(db, 0o444)
    try:
        code, err = run(capsys, "import", export, "--db", db)
    finally:
        os.chmod(db, 0o644)
    assert code == 2
    assert err == f"wargame: {db}: the file is read-only; nothing can be saved to it\n"


def test_messages_say_each_thing_once():
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    message = store_module._left_untouched(store_module._describe(malformed))
    assert message == "the database file is corrupt (malformed); it was left untouched"
    full = store_module._left_untouched(
        store_module._describe(sqlite3.OperationalError("database or disk is full")))
    assert full.count("not saved") + full.count("untouched") + full.count("unchanged") == 1
