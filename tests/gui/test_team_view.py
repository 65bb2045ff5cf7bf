"""The team screen's situation panel on the engine's typed ``TeamView``: the capacity being
built is shown in what was ordered (t/yr) with the turn it arrives, and another team's
covert move is not in it."""
from __future__ import annotations

import pytest

from wargame.engine import Order, initial_state, resolve_turn, team_view


@pytest.fixture
def after_an_investment(engine_history):
    """Washington orders 3,000 t/yr of magnet capacity on turn 1 (lead time 2 years: due
    on turn 9)."""
    scenario = engine_history.scenario
    invest = Order("washington", "build_capacity",
                   {"material": "ree", "stage": "magnet", "tonnes": 3000}, id="t1-washington-1")
    result = resolve_turn(scenario, initial_state(scenario, 7), [invest])
    assert all(o.status == "accepted" for o in result.outcomes)
    return scenario, result


def _open(qtbot, scenario, team, result, last_turn):
    from wargame.ui.team_screen import TeamScreen

    screen = TeamScreen()
    qtbot.addWidget(screen)
    view = team_view(scenario, result.state, team, result.indicators)
    screen.open_for(scenario, team, result.state.turn, view.budget_usd_m,
                    view.political_capital, view, None, last_turn=last_turn)
    return screen.situation.toPlainText(), view


def test_pipeline_shows_tonnes_per_year_ordered_and_the_arrival_turn(qtbot, after_an_investment):
    """Defect: the pipeline showed tonnes per TURN labelled t/yr (3,000 t/yr ordered read
    '750 t/yr') and guessed its keys. It shows what was ordered and when it arrives."""
    scenario, result = after_an_investment
    text, view = _open(qtbot, scenario, "washington", result, last_turn=12)
    entry = view.pipeline[0]
    assert (entry.tonnes_per_year, entry.tonnes_per_turn, entry.due_turn) == (3000, 750, 9)
    assert "3,000 t/yr" in text and "750 t/yr" not in text
    assert "arrives turn 9" in text


def test_pipeline_due_after_the_last_turn_says_so(qtbot, after_an_investment):
    scenario, result = after_an_investment
    text, _ = _open(qtbot, scenario, "washington", result, last_turn=8)
    assert "after the exercise ends" in text and "arrives turn" not in text


def test_other_teams_do_not_see_a_covert_move(qtbot, engine_history):
    """Covert is ``MoveType.public: false`` (not a label): the measure is in its own
    team's view and in nobody else's."""
    scenario = engine_history.scenario
    covert = {**scenario.move_index["offtake_deal"].model_dump(by_alias=True), "public": False}
    scenario = type(scenario).model_validate({
        **scenario.model_dump(by_alias=True),
        "moves": [covert if m.id == "offtake_deal" else m.model_dump(by_alias=True)
                  for m in scenario.moves]})
    deal = Order("beijing", "offtake_deal", {"seller": "USA", "material": "ree",
                                             "stage": "mine"}, id="t1-beijing-1")
    result = resolve_turn(scenario, initial_state(scenario, 7), [deal])
    mine = team_view(scenario, result.state, "beijing", result.indicators)
    theirs = team_view(scenario, result.state, "brussels", result.indicators)
    assert any("offtake" in m.label and not m.public for m in mine.measures)
    assert not any("offtake" in m.label.lower() for m in theirs.measures)
    text, _ = _open(qtbot, scenario, "brussels", result, last_turn=8)
    assert "offtake" not in text.lower()
