"""What the session layer added, as the report shows it: a scaled override (parameter,
factor and reason), notes edited and deleted (current text; the facilitator's edition marks
an edit), an inject retracted (shown as retracted, never as fired), the session's name and
its fork lineage, the note on an engine model version other than this one; and the hot
wash written through the session's one writer (conditional, behind the facilitator PIN)."""
from __future__ import annotations

import html

import pytest

from report_session import MINI, offtake
from wargame.report.gather import build_report
from wargame.report.hotwash import HotWash, load_hot_wash, save_hot_wash
from wargame.report.html_report import render_html
from wargame.report.tables import report_tables
from wargame.scenario.loader import load_scenario
from wargame.session.errors import PinRequired, ReadOnlySession, SessionChanged
from wargame.session.exercise import Exercise

SCALE_REASON = "Half the offtake: the partner cannot ship more"
FIRST_TEXT, EDITED_TEXT = "Brussels looked <unsure>", "Brussels looked unsure; asked twice"
DELETED_TEXT = "Wrong turn noted here"
RETRACT_REASON = "fired by mistake"


def tables_text(report) -> str:
    return "\n".join(str(cell) for t in report_tables(report) for row in t.rows
                     for cell in row)


@pytest.fixture
def session(tmp_path):
    """Two committed turns: a scaled override, an edited and a deleted note, an inject
    retracted before the orders opened."""
    ex = Exercise.create(tmp_path / "s.sqlite", load_scenario(MINI), seed=3,
                         teams={"washington": "bot"}, name="Tuesday group")
    ex.begin_orders()
    ex.submit_orders("brussels", [offtake("brussels", 0.4)])
    ex.resolve(force=True)
    ex.override("t1-brussels-1", SCALE_REASON, "scaled", param="share", factor=0.5)
    ex.commit()
    note = ex.add_note(FIRST_TEXT)
    gone = ex.add_note(DELETED_TEXT)
    ex.next_turn()
    ex.edit_note(note.seq, EDITED_TEXT)  # logged in turn 2, about a note of turn 1
    ex.delete_note(gone.seq)
    ex.fire_inject("mine_accident")
    fired_seq = ex.store.events(ex.id, kinds=["inject_fired"])[-1].seq
    ex.retract_inject(fired_seq, RETRACT_REASON)
    ex.play_turn({})
    yield ex
    ex.close()


def test_a_scaled_override_shows_its_parameter_factor_and_reason(session):
    report = build_report(session.store, session.id)
    (ruling,) = report.turns[0].overrides
    assert (ruling.status, ruling.param, ruling.factor, ruling.reason) == (
        "scaled", "share", 0.5, SCALE_REASON)
    assert "<strong>scaled</strong> (share × 0.50)" in render_html(report, charts=[])
    (row,) = next(t for t in report_tables(report) if t.name == "overrides").dicts()
    assert (row["status"], row["param"], row["factor"]) == ("scaled", "share", 0.5)


def test_notes_show_their_current_text_and_the_facilitator_edition_marks_edits(session):
    report = build_report(session.store, session.id)
    (note,) = [n for t in report.turns for n in t.notes]
    assert (note.turn, note.text, note.versions) == (1, EDITED_TEXT, 2) and note.edited_at
    text = render_html(report, charts=[]) + tables_text(report)
    assert EDITED_TEXT in text and '<span class="tag">edited</span>' in text
    for gone in (FIRST_TEXT, html.escape(FIRST_TEXT), DELETED_TEXT):
        assert gone not in text, gone
    assert [e.summary for e in report.log if e.kind == "note_deleted"] == [
        f"note {note.seq + 1} deleted"]


def test_a_retracted_inject_is_shown_as_retracted_never_as_fired(session):
    report = build_report(session.store, session.id)
    turn = report.turns[1]
    assert "mine_accident" not in [i.inject_id for i in turn.injects]
    (retracted,) = turn.retracted_injects
    assert (retracted.inject_id, retracted.reason) == ("mine_accident", RETRACT_REASON)
    rows = [r for r in next(t for t in report_tables(report) if t.name == "injects").dicts()
            if r["inject_id"] == "mine_accident"]
    assert [(r["state"], r["reason"]) for r in rows] == [("retracted", RETRACT_REASON)]
    assert any(e.summary == f"inject retracted: {retracted.title} ({RETRACT_REASON})"
               for e in report.log)
    assert "never fired" in render_html(report, charts=[])


def test_the_overview_names_the_session_and_its_fork_lineage(session):
    child = session.fork(2, name="What if Brussels waited")
    child.play_turn({})
    grandchild = child.fork(2, name="And Beijing too")
    report = build_report(session.store, grandchild.id)
    facts = report.facts
    assert facts.session_name == "And Beijing too"
    assert [(link.session_id, link.name, link.forked_at_turn) for link in facts.lineage] == [
        (session.id, "Tuesday group", 2), (child.id, "What if Brussels waited", 2)]
    text = render_html(report, charts=[])
    assert "Tuesday group" in text and "What if Brussels waited" in text
    parent = build_report(session.store, session.id)
    assert [(f.session_id, f.name) for f in parent.facts.forks] == [
        (child.id, "What if Brussels waited")]
    assert "What if Brussels waited" in render_html(parent, charts=[])
    for ex in (child, grandchild):
        ex.close()


def test_a_session_recorded_under_another_model_version_says_so(tmp_path, monkeypatch):
    import wargame.session.exercise as exercise_module

    monkeypatch.setattr(exercise_module, "ENGINE_MODEL_VERSION", 1)
    ex = Exercise.create(tmp_path / "s.sqlite", load_scenario(MINI), seed=3)
    monkeypatch.undo()
    report = build_report(ex.store, ex.id)
    assert report.facts.engine_model_version == 1
    assert "under engine model version 1" in report.facts.model_version_note
    assert "under engine model version 1" in render_html(report, charts=[])
    same = Exercise.create(tmp_path / "t.sqlite", load_scenario(MINI), seed=3)
    assert build_report(same.store, same.id).facts.model_version_note is None


def test_the_hot_wash_is_written_by_the_sessions_one_writer(tmp_path):
    """Behind the facilitator PIN; refused (nothing written) from a stale or read-only
    window; the last one written counts."""
    db = tmp_path / "s.sqlite"
    ex = Exercise.create(db, load_scenario(MINI), seed=3, facilitator_pin="2468")
    first, second = HotWash(went_well=("one",)), HotWash(went_well=("one", "two"))
    with pytest.raises(PinRequired):
        save_hot_wash(ex, first)
    other = Exercise.open(db, ex.id)
    save_hot_wash(ex, first, "2468")
    with pytest.raises(SessionChanged):  # the other window had not seen that write
        save_hot_wash(other, second, "2468")
    with pytest.raises(ReadOnlySession):
        save_hot_wash(Exercise.open(db, ex.id, read_only=True), second, "2468")
    assert load_hot_wash(ex.store, ex.id) == first
    save_hot_wash(ex, second, ex.unlock("facilitator", "2468"))
    assert load_hot_wash(ex.store, ex.id) == second
    assert len(ex.store.events(ex.id, kinds=["hot_wash"])) == 2
