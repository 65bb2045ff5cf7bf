"""A played session for the report and replay tests: three committed turns of the mini
scenario with human and bot teams, a facilitator override with a reason, injects fired by
hand (a deck one and a free-text one), a white-cell order, notes (one with HTML in it), a hot
wash, and a fourth turn left open with SEALED orders that no report may show."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wargame.engine import OUTCOME_REJECTED, Order
from wargame.report.hotwash import ActionItem, HotWash, save_hot_wash
from wargame.scenario.loader import load_scenario
from wargame.session.exercise import Exercise

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "mini.yaml"

OVERRIDE_REASON = "Brussels <has no> port capacity & said so"
NOTES = ("Beijing hesitated <b>before</b> the freeze", "Room asked about gallium prices",
         "Turn 4 opened late")
FREE_INJECT = "Strike at the Antwerp port"
SEALED_SHARE = 0.37  # the open turn's sealed offtake share: must appear nowhere
HOT_WASH = HotWash(
    went_well=("Teams read the explanations aloud",),
    to_improve=("Brief the <price floor> rule earlier",),
    actions=(ActionItem(what="Add a gallium inject", who="White cell", by_when="2026-03"),),
    players={"beijing": "A. Chen, B. Li", "brussels": "C. Dupont"})


@dataclass(frozen=True)
class PlayedSession:
    db: Path
    session_id: str


def offtake(team: str, share: float) -> Order:
    return Order(team, "offtake_deal", {"seller": "CHN", "material": "ree",
                                        "stage": "separation", "share": share})


def play_session(db: Path) -> PlayedSession:
    scenario = load_scenario(MINI)
    ex = Exercise.create(db, scenario, seed=11, teams={"washington": "bot"})  # bots submit at resolve
    # turn 1: orders, an override with its reason, a note
    ex.begin_orders()
    ex.submit_orders("beijing", [Order("beijing", "export_licences", {
        "material": "ree", "targets": "USA", "level": "freeze", "turns": 2})])
    ex.submit_orders("brussels", [offtake("brussels", 0.25)])
    ex.resolve()
    ex.override("t1-brussels-1", OVERRIDE_REASON, OUTCOME_REJECTED)
    ex.commit()
    ex.add_note(NOTES[0])
    # turn 2: injects fired by hand, a white-cell order
    ex.next_turn()
    ex.fire_inject("mine_accident")
    ex.fire_inject(FREE_INJECT)
    ex.submit_facilitator_orders([Order("facilitator", "offtake_deal", {
        "seller": "CHN", "material": "ga", "stage": "refined", "share": 0.1})])
    ex.play_turn({"brussels": [offtake("brussels", 0.15)]})
    ex.add_note(NOTES[1])
    # turn 3: the deck's scheduled typhoon
    ex.play_turn({})
    # turn 4: open, with sealed orders
    ex.next_turn()
    ex.add_note(NOTES[2])
    ex.begin_orders()
    ex.submit_orders("washington", [offtake("washington", SEALED_SHARE)])
    save_hot_wash(ex, HOT_WASH)
    session_id = ex.id
    ex.close()
    return PlayedSession(db, session_id)
