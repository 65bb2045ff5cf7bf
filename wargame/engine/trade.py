"""Sticky trade relationships: contract shares that drift towards suppliers that deliver.

Each importer starts from its baseline contract shares (``market_constants.
baseline_contracts``: the scenario's ``trade_shares``, else exporters' baseline surplus).
After a turn in which some of its contracts were not honoured, its shares close
``market.contract_drift_per_quarter`` x the share of its contracted volume that did not
arrive of the gap to the mix it actually received from abroad: an importer cut off by one
exporter shifts, over several turns, towards others that had supply; one whose contracts
were all honoured keeps them. So when a restriction ends, the new contracts hold (Japan
kept buying from Lynas after 2012): sourcing has a memory.

Importers also move towards suppliers that had output left unsold which they could have
bought for less than they paid (an open route, a landed price below theirs): each turn a
share ``market.contract_drift_per_quarter`` x (that unsold output / the importer's
baseline imports) moves to each such supplier (``drift_to_spare``). So new mines outside
China win customers from a dear, restricted supplier over a few turns.
"""
from __future__ import annotations

import numpy as np

from wargame.engine.flow import nonzero, ordered_sum, part_any, part_rows
from wargame.engine.market_constants import EPS


def drift_contracts(contract: np.ndarray, flows: np.ndarray, requested: np.ndarray,
                    drift: float, shortfall: np.ndarray | None = None) -> np.ndarray:
    """New contract shares (M, S, E, I) after a turn's ``flows`` and ``requested``
    (contract requests before licences; (M, S, E, I)). ``shortfall``: max(requested -
    flows, 0), if the caller has it (on the diagonal, own use, it is not read)."""
    A = flows.shape[-1]
    foreign = 1.0 - np.eye(A)
    asked = ordered_sum(requested * foreign, 2)  # (M, S, I) requested from abroad
    if shortfall is None:
        shortfall = np.maximum(requested - flows, 0.0)
    missing = ordered_sum(shortfall * foreign, 2)
    failed = np.where(asked > EPS, np.minimum(missing / np.maximum(asked, EPS), 1.0), 0.0)
    # an importer whose contracts were all honoured keeps them: only the importers (a
    # column each) with a failure move, towards the mix they received from abroad
    m, s, i = nonzero(failed > 0.0)
    new = contract.copy()
    if len(m):
        held = contract[m, s, :, i]  # (P, E)
        imports = flows[m, s, :, i] * foreign[:, i].T
        total = ordered_sum(imports.T, 0)[:, None]  # (P, 1) over exporters, in order
        mix = np.where(total > EPS, imports / np.maximum(total, EPS), held)
        new[m, s, :, i] = held + (drift * failed[m, s, i])[:, None] * (mix - held)
    return new


def drift_to_spare(contract: np.ndarray, spare: np.ndarray, open_routes: np.ndarray,
                   price: np.ndarray, trade_cost: np.ndarray | None, imports: np.ndarray,
                   drift: float, buys_abroad: np.ndarray | None = None,
                   part_sizes: tuple[int, ...] = ()) -> np.ndarray:
    """New contract shares (M, S, E, I) after a turn in which exporters had ``spare``
    (M, S, E) t unsold; ``open_routes`` (M, S, E, I) bool; ``price`` (M, S, A) this turn's
    prices; ``imports`` (M, S, I) baseline imports, t per turn; ``buys_abroad`` (M, S,
    E, I) the pairs whose importer imports in the baseline, from another actor
    (``MarketConstants.buys_abroad``; derived from ``imports`` if not given);
    ``part_sizes``: stacked games' numbers of materials (a game with nothing spare keeps
    its shares, as alone)."""
    spare_somewhere = spare > EPS
    if not spare_somewhere.any():
        return contract
    has_spare = spare > 0.0
    if len(part_sizes) > 1:
        has_spare &= part_rows(part_any(spare_somewhere, part_sizes), part_sizes)[:, None, None]
    if buys_abroad is None:
        A = contract.shape[-1]
        buys_abroad = (imports > EPS)[:, :, None, :] & ~np.eye(A, dtype=bool)
    landed = price[:, :, :, None] * (1.0 if trade_cost is None else trade_cost)
    cheaper = landed < price[:, :, None, :] * (1.0 - 1e-6)
    # nothing is offered to who imports nothing, nor by who has nothing to spare: the
    # few pairs left move (elsewhere the shares stay as they were until normalised)
    reach = open_routes & cheaper & buys_abroad & has_spare[:, :, :, None]
    pairs = nonzero(reach)
    m, s, _e, i = pairs
    share = np.minimum(spare[pairs[:3]] / np.maximum(imports[m, s, i], EPS), 1.0)
    offered = share > EPS
    if not offered.any():
        return contract
    # only the importers (a column each) offered something move and are normalised; the
    # others keep their shares exactly. (Normalising every column whenever one moved made a
    # game's shares depend on other games stacked with it: engine model 7.)
    moving = np.zeros(contract.shape[:2] + contract.shape[3:], dtype=bool)  # (M, S, I)
    moving[m[offered], s[offered], i[offered]] = True
    moved = contract.copy()
    moved[pairs] += drift * share
    totals = ordered_sum(moved, 2)  # (M, S, I)
    new = contract.copy()
    m, s, i = nonzero(moving & (totals > EPS))  # (rare) importers with no contracts keep theirs
    new[m, s, :, i] = moved[m, s, :, i] / totals[m, s, i][:, None]
    return new
