"""The part of ``wargame validate --lint`` that needs a game played: an objective over an
indicator that never changes in a game played by bots cannot tell a good game from a bad
one (the scenario layer cannot run the engine, so this lives here and plugs itself into the
``validate`` command through ``register``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when the check runs: `wargame --help` stays light
    from wargame.scenario.checks import Issue
    from wargame.scenario.model import Scenario

UNCHANGED = 1e-9  # raw values closer than this on every turn count as never changing


def objectives_that_never_change(scenario: "Scenario", seed: int | None = None,
                                 turns: int | None = None) -> list["Issue"]:
    """One warning per objective whose raw value is the same on every turn of a game in
    which bots play every team (the scenario's seed and length unless given)."""
    from wargame.engine import run_game
    from wargame.scenario.checks import Issue

    results = run_game(scenario, seed=seed, turns=turns,
                       bots=[team.id for team in scenario.teams], explain=False)
    issues = []
    for t_index, team in enumerate(scenario.teams):
        for o_index, objective in enumerate(team.objectives):
            values = [r.indicators.scores[team.id].terms[o_index].raw_value for r in results]
            if values and max(values) - min(values) <= UNCHANGED:
                label = results[0].indicators.scores[team.id].terms[o_index].label
                issues.append(Issue(
                    ("teams", t_index, "objectives", o_index),
                    f"objective '{label}' ({objective.indicator}) never changes in "
                    f"a {len(values)}-turn game played by bots (always {values[0]:g}): it "
                    "cannot tell a good game from a bad one"))
    return issues


def register(subparsers: Any) -> None:
    """Give ``wargame validate --lint`` the bot-game check (no command of its own)."""
    validate = getattr(subparsers, "choices", {}).get("validate")
    if validate is not None:
        validate.set_defaults(bot_game_lint=objectives_that_never_change)
