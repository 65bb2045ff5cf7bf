"""``ENGINE_MODEL_VERSION``: bumped ON PURPOSE whenever the engine's outcomes change.

Sessions record it when they are created (``session_created``), so a replay under another
model version can say so instead of just failing; the golden master (``tests/golden/``)
fails when outcomes change while this stays the same, and asks for it to be bumped and the
master regenerated (``python -m tests.golden.regenerate``).

History:
  1: the engine before typed contracts (draws keyed on a counter of measures).
  2: draws keyed on stable ids (order id + effect index, inject id + turn, standing order
     index); orders resolved in canonical order (team rank, then order id).
  3: a team's orders in one turn are checked against the budget the turn started with, each
     cost counted once (version 2 counted earlier orders twice, so a third affordable order
     could be refused); coalition moves (``requires``); conditional injects and follow-ups.
  4 (branch ``market``): the market of issue 8: prices close part of the gap to a
     clearing price each turn (no more pullback/smoothing), pass-through along the chain,
     two-tier prices from leakage and stock-building, demand that thrifts with time, run
     rates answering netbacks, ramp-up, contracts and trade shares, quotas, duties,
     leakage, end_measure, licence queues; headlines with the other stages' prices.
  4 (branch ``main``): measures are labelled as the team would say them ("Beijing's NdPr
     licensing freeze on the United States", ``phrases.py``; the labels are part of the
     state, so its hash changed, no number did); a move's own parameter named like a
     reference (``$team``) binds to that parameter (the white cell's budget adjustment);
     the groups of measures that lapsed are kept with their labels (bots read the groups,
     not the words).
  5: both version 4s together: the market of issue 8 (clearing prices, pass-through, quotas,
     duties, leakage, end_measure, headline stage per material) and the labels read aloud
     (team wording, ``lapsed_groups``, one line per order and event of the turn).
  6: keyed draws hash (turn seed, key) with keyed BLAKE2b instead of seeding a NumPy
     generator per pair (``draws.py``): the same contract (same pair, same draw; order and
     leave-one-out independent), other numbers; a sweep's dozen draws per game-turn cost
     a few microseconds each instead of 15-25.
  7: contracts drifting towards spare output are normalised only for the importers that
     were offered something; before, one importer's move renormalised every importer's
     shares (sums of 1 up to rounding moved in their last bits), so a game's numbers could
     depend on the other games stacked with it in a batch.
"""
ENGINE_MODEL_VERSION = 7
