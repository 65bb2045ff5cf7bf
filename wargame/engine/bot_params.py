"""How bots set a move's parameters: each parameter gets a value that serves the team's
interest in the manner of a bot style (a hawk aims at the materials it dominates and the
rivals that need them; a producer at its own ores; a builder at its largest import
dependencies and at friendly suppliers), else the parameter's default or a sensible
in-range choice. Used by the style bots (``bots.py``) and the posture bots
(``posture_bots.py``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from wargame.engine.rules import rules_for
from wargame.scenario.model import MoveType, ParamSpec, Scenario


def _ranked(scores: np.ndarray, turn: int, top: int = 2) -> int:
    """Index among the ``top`` best scores: the best first, then rotating with the turn
    (bots vary their aim)."""
    order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0][:top]
    return order[(turn - 1) % len(order)] if order else int(np.argmax(scores))


def _choose(scenario: Scenario, team_id: str, spec: ParamSpec, params: dict[str, Any],
            turn: int, style: str | None = None, target: str | None = None) -> Any:
    """A parameter value that serves the team's interest: a hawk aims at the materials it
    dominates and the rivals that need them; a producer at its own ores; a builder at its
    largest import dependencies and at friendly suppliers. ``style`` replaces the team's
    own; ``target`` (an actor id) is aimed at by 'other' actor parameters when allowed."""
    style = style or scenario.team(team_id).bot
    own = [scenario.actor_index[a] for a in scenario.team_actors(team_id)]
    info = rules_for(scenario).bot_interests
    material = params.get(spec.material_param) if spec.material_param else None
    material = material or next((v for k, v in params.items()
                                 if v in scenario.material_index), None)
    if spec.type == "material":
        if style == "producer":
            scores = info.share[:, 0, own].sum(axis=1)
        elif style == "hawk":
            scores = info.share[:, min(1, info.share.shape[1] - 1), own].sum(axis=1)
        else:
            scores = info.deficit[:, own].sum(axis=1)
        return scenario.materials[_ranked(scores, turn, top=3)].id
    if spec.type == "actors":  # several actors: the one the style picks
        one = _choose(scenario, team_id, spec.model_copy(update={"type": "actor"}),
                           params, turn, style, target)
        return [one] if one is not None else None
    if spec.type == "actor":
        allowed = [i for i, a in enumerate(scenario.actors)
                   if (spec.scope != "own" or i in own) and (spec.scope != "other" or i not in own)]
        if not allowed:
            return None
        if spec.scope == "own":
            return scenario.actors[allowed[0]].id
        if target in scenario.actor_index and scenario.actor_index[target] in allowed \
                and scenario.actor_index[target] not in own:
            return target
        m = scenario.material_index.get(material, 0)
        rivals = {i for i, a in enumerate(scenario.actors)
                  if a.team and a.team != team_id and scenario.team(a.team).bot == "hawk"}
        if style == "hawk":  # the played rival that uses most of it
            scores = np.array([info.use_last[m, i] * (scenario.actors[i].team is not None)
                               if i in allowed and i not in own else 0.0
                               for i in range(len(scenario.actors))])
        else:  # a friendly supplier of it, at the stage the order is about
            stage = next((scenario.materials[m].stage_index(v) for k, v in params.items()
                          if any(v == st.id for st in scenario.materials[m].stages)), None)
            produced = info.output[m, stage] if stage is not None else info.output[m].sum(axis=0)
            scores = np.array([produced[i] if i in allowed and i not in rivals and i not in own
                               else 0.0 for i in range(len(scenario.actors))])
        pick = _ranked(scores, turn)
        return scenario.actors[pick if pick in allowed else allowed[0]].id
    if spec.type == "stage":
        mat = scenario.material(material) if material in scenario.material_index else scenario.materials[0]
        m = scenario.material_index[mat.id]
        if len(mat.stages) == 1:
            return mat.stages[0].id
        # where the team is shortest of its own needs, past the mine (mines take decades)
        gaps = [float((info.need[m, s, own] - info.output[m, s, own]).sum())
                for s in range(1, len(mat.stages))]
        return mat.stages[1 + int(np.argmax(gaps))].id if style != "producer" else mat.stages[1].id
    if spec.default is not None:
        return spec.default
    if spec.type == "sector":
        return min(scenario.sectors, key=lambda k: k.priority).id
    if spec.type == "team":
        others = [t.id for t in scenario.teams if t.id != team_id]
        return others[turn % len(others)] if others else team_id
    if spec.type == "choice":
        return spec.choices[min(1, len(spec.choices) - 1)]
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else max(low, 1.0)
    value = low + (high - low) * 0.3
    return int(round(value)) if spec.type == "integer" else round(value, 3)


def fill_params(scenario: Scenario, team_id: str, move: MoveType, turn: int,
                style: str | None = None, target: str | None = None) -> dict[str, Any]:
    """A move's parameters as a bot of ``style`` (default: the team's) would set them:
    materials first (stages and targets depend on them), then stages, then the rest.
    They depend on the scenario and these arguments alone, so they are worked out once
    (``CompiledRules.bot_params``: a sweep's games ask the same each turn); each caller
    gets its own copy."""
    rules = rules_for(scenario)
    key = (team_id, move.id, turn, style, target)
    params = rules.bot_params.get(key)
    if params is None:
        params = rules.bot_params.put(key, _fill(scenario, team_id, move, turn, style, target))
    return {name: list(value) if isinstance(value, list) else value
            for name, value in params.items()}


def _fill(scenario: Scenario, team_id: str, move: MoveType, turn: int, style: str | None,
          target: str | None) -> dict[str, Any]:
    rank = {"material": 0, "stage": 1}
    params: dict[str, Any] = {}
    for spec in sorted(move.params, key=lambda p: rank.get(p.type, 2)):
        params[spec.name] = _choose(scenario, team_id, spec, params, turn, style, target)
    return {spec.name: params[spec.name] for spec in move.params}
