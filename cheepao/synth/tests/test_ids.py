"""Identifiers check like the real ones and never collide."""

from __future__ import annotations

import numpy as np
from stdnum.th import pin as thpin

from cheepao.synth import ids


def test_pin_check_digit_matches_the_dopa_rule():
    first12 = np.random.default_rng(0).integers(10**11, 9 * 10**11, 2000)
    ours = ids.pin_check_digit(first12)
    theirs = [int(thpin.calc_check_digit(str(v))) for v in first12]
    assert ours.tolist() == theirs


def test_pins_are_unique_and_valid_over_a_whole_office():
    counter = np.arange(200_000)
    pins = ids.make_pins(np.full(len(counter), 3), np.full(len(counter), 3401), counter, salt=42)
    assert len(np.unique(pins)) == len(pins)
    text = pins.astype(str)
    assert all(len(p) == 13 for p in text[:1000])
    assert all(thpin.is_valid(p) for p in text[::997])


def test_house_codes_unique_with_11_digits():
    codes = ids.make_house_codes(np.full(50_000, 3401), np.arange(50_000), salt=7)
    assert len(np.unique(codes)) == len(codes)
    assert (codes >= 10**10).all() and (codes < 10**11).all()


def test_stable_uniform_is_stable_and_uniform():
    keys = np.arange(100_000)
    a = ids.stable_uniform(keys, 3)
    assert np.array_equal(a, ids.stable_uniform(keys, 3))
    assert not np.array_equal(a, ids.stable_uniform(keys, 4))
    assert abs(a.mean() - 0.5) < 0.01 and a.min() >= 0 and a.max() < 1


def test_running_within_groups():
    assert ids.running_within(np.array([3, 1, 3, 1, 2])).tolist() == [0, 0, 1, 1, 0]
