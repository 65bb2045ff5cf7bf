"""Sticky trade relationships: contract shares that drift towards suppliers that deliver.

Each importer starts from its baseline contract shares (``market_constants.
baseline_contracts``: the scenario's ``trade_shares``, else exporters' baseline surplus).
After a turn in which some of its contracts were not honoured, its shares close
``market.contract_drift_per_quarter`` x the share of its contracted volume that did not
arrive of the gap to the mix it actually received from abroad: an importer cut off by one
exporter shifts, over several turns, towards others that had supply; one whose contracts
were all honoured keeps them. So when a restriction ends, the new contracts hold (Japan
kept buying from Lynas after 2012): sourcing has a memory.
"""
from __future__ import annotations

import numpy as np

from wargame.engine.market_constants import EPS


def drift_contracts(contract: np.ndarray, flows: np.ndarray, requested: np.ndarray,
                    drift: float) -> np.ndarray:
    """New contract shares (M, S, E, I) after a turn's ``flows`` and ``requested``
    (contract requests before licences; (M, S, E, I))."""
    A = flows.shape[-1]
    foreign = 1.0 - np.eye(A)
    imports = flows * foreign
    total = imports.sum(axis=2, keepdims=True)
    mix = np.where(total > EPS, imports / np.maximum(total, EPS), contract)
    asked = (requested * foreign).sum(axis=2, keepdims=True)
    missing = (np.maximum(requested - imports, 0.0) * foreign).sum(axis=2, keepdims=True)
    failed = np.where(asked > EPS, np.minimum(missing / np.maximum(asked, EPS), 1.0), 0.0)
    return contract + drift * failed * (mix - contract)
