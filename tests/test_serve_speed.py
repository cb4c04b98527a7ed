"""The pieces that make /api/whatif fast enough for 10,000 units give the same answers as the
definitions: Kendall's tau-b in O(n log n) against all pairs, entries and exits vectorised."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.analysis.whatif import kendall_tau


def tau_b_of_all_pairs(x, y) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    sx, sy = np.sign(x[:, None] - x[None, :]), np.sign(y[:, None] - y[None, :])
    pairs_x, pairs_y = np.count_nonzero(sx), np.count_nonzero(sy)
    return math.nan if pairs_x == 0 or pairs_y == 0 else float((sx * sy).sum()) / math.sqrt(pairs_x * pairs_y)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=60))
def test_kendall_tau_b_is_the_all_pairs_definition(pairs):
    x, y = [p[0] for p in pairs], [p[1] for p in pairs]
    fast, slow = kendall_tau(x, y), tau_b_of_all_pairs(x, y)
    assert (math.isnan(fast) and math.isnan(slow)) or fast == slow


def test_kendall_tau_b_of_many_units():
    rng = np.random.default_rng(5)
    x = rng.permutation(1500).astype(float)
    y = np.round(x + rng.normal(0, 200, 1500), -1)  # ties in y
    assert kendall_tau(x, y) == tau_b_of_all_pairs(x, y)
    assert kendall_tau(x, x) == 1.0 and kendall_tau(x, -x) == -1.0
