"""Properties of the whole-pack rule: whole packs in total, nobody over what they accepted, earlier first."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.allocation import Want, allocate, packs_by_point, whole_packs

PACK = st.sampled_from([Decimal(1), Decimal(20), Decimal(25), Decimal(30), Decimal("2.5")])
QUANTITY = st.integers(min_value=1, max_value=120).map(Decimal)
WANTS = st.lists(st.tuples(QUANTITY, st.booleans()), min_size=0, max_size=25)


def wants_of(drawn: list[tuple[Decimal, bool]], pack: Decimal) -> list[Want]:
    return [Want(i, quantity, pack if willing else Decimal(0)) for i, (quantity, willing) in enumerate(drawn)]


def is_whole(total: Decimal, pack: Decimal) -> bool:
    return total % pack == 0


@given(WANTS, PACK)
def test_first_come_first_served(drawn: list[tuple[Decimal, bool]], pack: Decimal) -> None:
    wants = wants_of(drawn, pack)
    shares = allocate(wants, pack, "fcfs")
    ordered = sum((w.quantity for w in wants), Decimal(0))
    given_total = sum(shares.values(), Decimal(0))
    assert is_whole(given_total, pack)
    assert ordered - pack < given_total <= ordered, "only the unfilled last pack is cut"
    assert all(Decimal(0) <= shares[w.key] <= w.quantity for w in wants)
    for earlier, later in itertools.pairwise(wants):
        if shares[later.key] > 0:
            assert shares[earlier.key] == earlier.quantity, "an earlier order is served in full before a later one"


@given(WANTS, PACK)
def test_round_up_where_members_agreed(drawn: list[tuple[Decimal, bool]], pack: Decimal) -> None:
    wants = wants_of(drawn, pack)
    shares = allocate(wants, pack, "round_up")
    ordered = sum((w.quantity for w in wants), Decimal(0))
    given_total = sum(shares.values(), Decimal(0))
    assert is_whole(given_total, pack)
    assert all(Decimal(0) <= shares[w.key] <= w.quantity + w.extra_ok for w in wants)
    if any(w.extra_ok for w in wants) and not is_whole(ordered, pack):
        assert given_total > ordered, "someone said they would take more, so the last pack is filled"
        extra = [w for w in wants if shares[w.key] > w.quantity]
        assert extra and all(w.extra_ok for w in extra), "only those who agreed take more"
    elif not is_whole(ordered, pack):
        assert shares == allocate(wants, pack, "fcfs")


def test_a_worked_example() -> None:
    wants = [Want(1, Decimal(40)), Want(2, Decimal(35), Decimal(30)), Want(3, Decimal(20))]
    assert allocate(wants, Decimal(30), "fcfs") == {1: 40, 2: 35, 3: 15}
    assert allocate(wants, Decimal(30), "round_up") == {1: 40, 2: 60, 3: 20}
    assert allocate([], Decimal(30)) == {}


def test_a_pack_must_have_a_size() -> None:
    with pytest.raises(ValueError):
        allocate([Want(1, Decimal(3))], Decimal(0))


POINTS = st.dictionaries(st.sampled_from(["ควนขนุน", "กงหรา", "ป่าบอน", "ตะโหมด", "เมือง"]),
                         st.integers(min_value=0, max_value=400).map(Decimal), min_size=1)


@given(POINTS, st.sampled_from([Decimal(1), Decimal(20), Decimal(25), Decimal(30), Decimal(50)]))
def test_the_points_packs_are_whole_and_add_up_to_what_the_round_bought(
    quantities: dict[str, Decimal], pack_size: Decimal
) -> None:
    packs = packs_by_point(quantities, pack_size)
    assert sum(packs.values()) == whole_packs(sum(quantities.values(), Decimal(0)), pack_size)
    for point, quantity in quantities.items():
        assert whole_packs(quantity, pack_size) <= packs[point] <= whole_packs(quantity, pack_size) + 1


def test_three_containers_bought_are_three_loaded() -> None:
    """The acid round of the finding: 25 + 25 kg at one cooperative, 20 and 20 at two others, in 30 kg containers."""
    packs = packs_by_point({"ควนขนุน": Decimal(50), "กงหรา": Decimal(20), "ป่าบอน": Decimal(20)}, Decimal(30))
    assert sum(packs.values()) == 3 and packs["ควนขนุน"] == 2
