"""The start screen's list of saved sessions comes from the store's summaries: one damaged
session (an unknown controller, say, from a crafted import) is listed as damaged and the
others still list; names, forks and created times come along for the start screen."""
from __future__ import annotations

import sqlite3

from wargame.scenario.loader import load_scenario
from wargame.session.exercise import Exercise


def test_a_damaged_session_is_listed_and_the_others_still_are(db_path, mini_path):
    scenario = load_scenario(mini_path)
    good = Exercise.create(db_path, scenario, seed=1, name="Tuesday group")
    good.play_turn()
    good.next_turn()
    fork = good.fork(2)
    bad = Exercise.create(db_path, scenario, seed=2)
    with sqlite3.connect(db_path) as conn:
        conn.execute("update teams set controller = 'robot' where session_id = ?", [bad.id])
    from wargame.ui.controller import list_sessions

    rows = {row.id: row for row in list_sessions(db_path)}
    assert set(rows) == {good.id, fork.id, bad.id}
    assert rows[bad.id].damaged and "unknown controller 'robot'" in rows[bad.id].damaged
    assert rows[good.id].damaged is None and rows[good.id].name == "Tuesday group"
    assert rows[fork.id].fork == "fork of Tuesday group at turn 2"
    assert rows[good.id].created and rows[good.id].short_id == good.id[:8]
