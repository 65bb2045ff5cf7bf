"""``flow.ordered_sum`` adds an array's slices along an axis that is not the last one, in
order, instead of calling ``np.sum`` (faster for the engine's short actor axes); it must
equal ``np.sum`` bit for bit, or the golden master's hashes would move. Cases: the
engine's shapes (materials x stages x exporters x importers, one game to many stacked),
views strided like ``flows[:, s]``, zeros and negative values, and a wide range of
magnitudes (where a different order of additions would change the last bits)."""
from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.flow import last_axis_sum, ordered_sum

CASES = [  # (shape, axis)
    ((1, 11, 11), 1),
    ((8, 11, 11), 1),
    ((256, 11, 11), 1),
    ((5, 2, 2), 1),
    ((3, 130, 4), 1),  # more than NumPy's pairwise block along the summed axis
    ((256, 3, 11, 11), 2),
    ((8, 3, 11, 11), 2),
    ((1, 1, 3, 3), 2),
    ((4, 3, 200, 5), 2),
    ((6, 9, 9), 0),
]


def _awkward(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    values = rng.random(shape) * np.exp(rng.normal(0.0, 8.0, shape))
    values[rng.random(shape) < 0.3] = 0.0
    values[rng.random(shape) < 0.1] *= -1.0
    return values


@pytest.mark.parametrize("shape,axis", CASES)
def test_ordered_sum_equals_numpy_sum_bit_for_bit(shape, axis):
    """Rule: the same sums as ``np.sum``, to the last bit, contiguous or strided."""
    rng = np.random.default_rng(len(shape) * 1000 + shape[0])
    contiguous = _awkward(rng, shape)
    stacked = _awkward(rng, shape[:1] + (3,) + shape[1:])
    strided = stacked[:, 1]  # like ``flows[:, s]`` of an (M, S, E, I) array
    for values in (contiguous, strided):
        expected = values.sum(axis=axis)
        got = ordered_sum(values, axis)
        assert got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()


def test_ordered_sum_refuses_the_last_axis():
    """Rule: along the last axis NumPy sums pairwise, which a loop of slices would not
    reproduce, so the helper refuses it rather than give different bits."""
    with pytest.raises(ValueError, match="last axis"):
        ordered_sum(np.ones((2, 3, 4)), 2)
    with pytest.raises(ValueError, match="last axis"):
        ordered_sum(np.ones((2, 3, 4)), -1)


@pytest.mark.parametrize("length", list(range(1, 41)) + [63, 64, 65, 127, 128, 129, 300])
def test_last_axis_sum_equals_numpy_sum_bit_for_bit(length):
    """Rule: ``last_axis_sum`` gives ``np.sum(axis=-1)`` to the last bit for any length of
    the last axis (NumPy's blocks of eight and its pairwise block of 128 included), on
    contiguous arrays and on views of one stage, and a row of -0.0 sums to 0.0 as there."""
    rng = np.random.default_rng(length)
    values = _awkward(rng, (40, 3, 7, length))
    values[0, 0, 0] = -0.0
    for array in (values, values[:, 1], values[:5, :, 2]):
        for keepdims in (False, True):
            fast = last_axis_sum(array, keepdims=keepdims)
            slow = array.sum(axis=-1, keepdims=keepdims)
            assert fast.shape == slow.shape
            assert fast.tobytes() == slow.tobytes()
