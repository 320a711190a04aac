"""The suppression rule on small hand-made tables (no database)."""

from __future__ import annotations

from cheepao.opendata.suppression import groups_of, parent_of, primary, suppress, suppress_all


def _check_every_group(values, hidden):
    for parent, children in groups_of(values).items():
        assert len([c for c in [parent, *children] if c in hidden]) != 1, parent


def test_parents():
    assert parent_of("") is None
    assert parent_of("34") == ""
    assert parent_of("3401") == "34"
    assert parent_of("340101") == "3401"


def test_primary_is_strictly_between_zero_and_the_threshold():
    values = {"": 20, "10": 0, "11": 1, "12": 4, "13": 5, "14": 10}
    assert primary(values, 5) == {"11", "12"}
    assert primary(values, 2) == {"11"}
    assert primary(values, 11) == {"11", "12", "13", "14"}


def test_a_lone_small_child_takes_the_smallest_other_child_with_it():
    values = {"": 40, "10": 3, "11": 20, "12": 9, "13": 8}
    assert suppress(values, 5) == {"10", "13"}


def test_positive_children_are_taken_before_zeros():
    values = {"": 33, "10": 3, "11": 0, "12": 9, "13": 21}
    assert suppress(values, 5) == {"10", "12"}


def test_two_small_children_protect_each_other():
    values = {"": 40, "10": 3, "11": 2, "12": 35}
    assert suppress(values, 5) == {"10", "11"}


def test_an_only_child_takes_its_parent_and_so_a_sibling_of_the_parent():
    values = {"": 30, "34": 3, "3401": 3, "35": 27, "3501": 20, "3502": 7}
    hidden = suppress(values, 5)
    # 3401 and 34 are small; 34's group needs a second cell: the smallest other province.
    assert hidden == {"34", "3401", "35", "3502"}
    _check_every_group(values, hidden)


def test_a_small_parent_with_large_children_hides_the_smallest_child():
    # Not possible with sums of counts ≥ 5, but a group may be partial (rows missing).
    values = {"34": 4, "3401": 9, "3402": 6}
    assert suppress(values, 5) == {"34", "3402"}


def test_hiding_travels_across_levels_to_a_fixed_point():
    values = {
        "": 100,
        "34": 40,
        "3401": 12,
        "340101": 2,
        "340102": 10,
        "3402": 28,
        "340201": 28,
        "35": 60,
        "3501": 30,
        "3502": 30,
    }
    hidden = suppress(values, 5)
    # 340101 small → 340102 (only other child); then 3401 is untouched (2 hidden in its
    # group), nothing else needs hiding.
    assert hidden == {"340101", "340102"}
    values["340201"], values["3402"], values["34"], values[""] = 3, 3, 15, 75
    hidden = suppress(values, 5)
    # 340201 and its parent 3402 are small (2 in 3402's group); 34's group has 3402 only
    # → the smallest other district, 3401; 3401's group then holds 3401 and 340101, two
    # hidden cells, so 340102 is published again (3401 − 340101 = 10 fixes neither).
    assert hidden == {"340101", "340201", "3402", "3401"}
    _check_every_group(values, hidden)


def test_the_result_does_not_depend_on_the_order_of_the_input():
    values = {"": 40, "10": 3, "11": 20, "12": 8, "13": 8, "1301": 8, "1201": 8}
    again = dict(reversed(list(values.items())))
    assert suppress(values, 5) == suppress(again, 5) == {"10", "12", "1201"}


def test_zeros_are_published_and_nothing_small_means_nothing_hidden():
    assert suppress({"": 10, "10": 0, "11": 10}, 5) == set()


def test_without_complementary_only_the_small_are_hidden():
    values = {"": 40, "10": 3, "11": 20, "12": 9, "13": 8}
    assert suppress(values, 5, complementary=False) == {"10"}


def test_every_figure_separately():
    table = {"": {"a": 10, "b": 3}, "10": {"a": 6, "b": 3}, "11": {"a": 4, "b": 0}}
    # b: the country and 10 are both small, two hidden cells in one sum: enough.
    assert suppress_all(table, ["a", "b"], 5) == {"a": {"11", "10"}, "b": {"", "10"}}
