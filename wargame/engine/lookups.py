"""Reading bound effect arguments: ids (or ``$all``, ``first``, lists) to array indices."""
from __future__ import annotations

from typing import Any

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.scenario.model import Scenario


def actor_indices(sc: Scenario, value: Any, exclude: int | None = None) -> list[int]:
    """'$all' = every actor but ``exclude``; an id; or a list of ids."""
    if value in (None, "$all", "all"):
        return [i for i in range(len(sc.actors)) if i != exclude]
    if isinstance(value, (list, tuple)):
        return [sc.actor_index[v] for v in value
                if v in sc.actor_index and sc.actor_index[v] != exclude]
    return [sc.actor_index[value]] if value in sc.actor_index else []


def selection(index: dict[str, int], value: Any, n: int) -> list[int]:
    """Indices named by ``value`` in ``index``: None/'all'/'$all' = all ``n``."""
    if value in (None, "$all", "all"):
        return list(range(n))
    if isinstance(value, (list, tuple)):
        return [index[v] for v in value if v in index]
    return [index[value]] if value in index else []


def stage_mask(sc: Scenario, base: Baseline, material: int, value: Any) -> np.ndarray:
    """Stages of ``material`` named by ``value`` (ids, 'all', 'first' or 'last')."""
    mask = np.zeros(base.n_stages, dtype=bool)
    stages = sc.materials[material].stages
    if value in (None, "all"):
        mask[: len(stages)] = True
    elif value == "first":
        mask[0] = True
    elif value == "last":
        mask[len(stages) - 1] = True
    else:
        for stage_id in value if isinstance(value, (list, tuple)) else [value]:
            for si, st in enumerate(stages):
                if st.id == stage_id:
                    mask[si] = True
    return mask


def stage_index(sc: Scenario, material: int, value: Any) -> int:
    """One stage of ``material``: its id, or the first (None, 'first') or last stage."""
    stages = sc.materials[material].stages
    for si, st in enumerate(stages):
        if st.id == value:
            return si
    return 0 if value in (None, "first") else len(stages) - 1
