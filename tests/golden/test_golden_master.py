"""Golden master: seeded all-bot games must give exactly the recorded states (hashes) and,
within float noise, the recorded headline numbers. Outcomes may change only together with
a bump of ``ENGINE_MODEL_VERSION``; then regenerate the master (see ``regenerate.py``)."""
from __future__ import annotations

import json

import pytest

from golden_games import GAMES, MASTER, REGENERATE, play
from wargame.engine import ENGINE_MODEL_VERSION

RELATIVE, ABSOLUTE = 1e-6, 1e-5  # headline numbers: float noise (and roundings it flips)


@pytest.fixture(scope="module")
def master():
    if not MASTER.exists():
        pytest.fail(f"no golden master at {MASTER}: record one with `{REGENERATE}`")
    return json.loads(MASTER.read_text(encoding="utf-8"))


def test_master_matches_the_engine_model_version(master):
    recorded = master["engine_model_version"]
    assert recorded == ENGINE_MODEL_VERSION, (
        f"ENGINE_MODEL_VERSION is {ENGINE_MODEL_VERSION} but the golden master was recorded "
        f"under {recorded}: after an intended change of outcomes, regenerate it with "
        f"`{REGENERATE}` and commit tests/golden/golden_master.json")


@pytest.mark.parametrize("game", GAMES, ids=[g.name for g in GAMES])
def test_seeded_game_gives_the_recorded_outcomes(master, game):
    expected = master["games"].get(game.name)
    assert expected is not None, f"game {game.name} is not in the master: `{REGENERATE}`"
    actual = play(game)
    if actual["scenario_hash"] != expected["scenario_hash"]:
        pytest.fail(f"{game.scenario} changed since the master was recorded; regenerate it "
                    f"with `{REGENERATE}` (a scenario edit needs no ENGINE_MODEL_VERSION bump)")
    advice = (f"outcomes changed while ENGINE_MODEL_VERSION is still {ENGINE_MODEL_VERSION}. "
              f"If intended: bump ENGINE_MODEL_VERSION in wargame/engine/version.py and "
              f"regenerate with `{REGENERATE}`. If not: a regression")
    assert len(actual["turns"]) == len(expected["turns"])
    for got, want in zip(actual["turns"], expected["turns"]):
        where = f"{game.name}, turn {want['turn']}"
        assert got["accepted"] == want["accepted"], f"{advice} ({where}: orders accepted)"
        assert got["injects"] == want["injects"], f"{advice} ({where}: injects fired)"
        for name, value in want["headlines"].items():
            assert got["headlines"][name] == pytest.approx(value, rel=RELATIVE, abs=ABSOLUTE), \
                f"{advice} ({where}: {name} {got['headlines'][name]!r}, recorded {value!r})"
        assert got["state_hash"] == want["state_hash"], (
            f"{advice} ({where}: the state hash differs while every headline number matches"
            " within float noise: a tiny change, or another machine's arithmetic)")
