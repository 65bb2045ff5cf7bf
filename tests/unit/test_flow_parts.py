"""``flow.part_any`` tells, for stacked parts (games of a batch, what-if variants of
unequal sizes), whether each part's rows hold a nonzero entry: the flow branches on it per
part, so it must equal the part taken alone."""
from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.flow import part_any, part_rows


@pytest.mark.parametrize("sizes", [(5,), (2, 2, 2), (3, 1, 4, 2), (1, 1)])
def test_part_any_equals_each_part_alone(sizes):
    rng = np.random.default_rng(len(sizes))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    for _trial in range(50):
        mask = rng.random((sum(sizes), 3, 4)) < 0.04
        alone = [bool(mask[start:start + size].any()) for start, size in zip(starts, sizes)]
        assert part_any(mask, sizes).tolist() == alone
        values = np.where(mask, rng.random(mask.shape), 0.0)  # a float array: nonzero
        assert part_any(values, sizes).tolist() == alone


def test_part_rows_gives_each_row_its_parts_flag():
    assert part_rows(np.array([True, False, True]), (2, 1, 3)).tolist() == \
        [True, True, False, True, True, True]


def test_add_rows_at_adds_as_numpy_add_at_bit_for_bit():
    """Rule: rows added through one flat index equal ``np.add.at`` to the last bit (the
    rows of one target row are added in their order), whatever the magnitudes."""
    from wargame.engine.flow import add_rows_at

    rng = np.random.default_rng(7)
    for _trial in range(30):
        rows = np.sort(rng.integers(0, 20, 60))
        values = rng.random((60, 11)) * np.exp(rng.normal(0.0, 10.0, (60, 11)))
        slow, fast = np.zeros((20, 11)), np.zeros((20, 11))
        np.add.at(slow, rows, values)
        add_rows_at(fast, rows, values)
        assert fast.tobytes() == slow.tobytes()
    with pytest.raises(ValueError):
        add_rows_at(np.zeros((11, 20)).T, rows[:3], values[:3])


def test_part_of_names_the_part_holding_each_row():
    from wargame.engine.flow import part_of

    assert part_of(np.array([0, 1, 2, 3, 5, 9]), (2, 1, 3, 4)).tolist() == [0, 0, 1, 2, 2, 3]
