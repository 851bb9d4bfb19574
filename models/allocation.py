"""Whole packs, fair shares: how a round's orders become whole packs at close.

The supplier sells whole packs (30 kg containers of acid). When the members' orders do not fill the
last pack, the round's stated rule decides:

- "fcfs" (first come, first served; the default): buy only the packs the orders fill; the latest orders
  absorb the shortfall, the latest first, so earlier orders are served in full.
- "round_up": buy one more pack when the members who said they would take more can complete it
  between them; the earliest of them take the extra first, each up to what they accepted. When they
  cannot complete it, fall back to "fcfs".

Every quantity is a Decimal in the product's order unit; wants come in queue order (earliest first).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import TypeVar

ZERO = Decimal(0)
Point = TypeVar("Point", bound=Hashable)


@dataclass(frozen=True)
class Want:
    key: int
    quantity: Decimal
    extra_ok: Decimal = ZERO


def whole_packs(total: Decimal, pack_size: Decimal) -> int:
    return int((total / pack_size).to_integral_value(rounding=ROUND_FLOOR))


def allocate(wants: Sequence[Want], pack_size: Decimal, rule: str = "fcfs") -> dict[int, Decimal]:
    """Each want's final quantity; their sum is always a whole number of packs."""
    if pack_size <= 0:
        raise ValueError("pack size must be positive")
    given = {want.key: want.quantity for want in wants}
    total = sum(given.values(), ZERO)
    shortfall = total - whole_packs(total, pack_size) * pack_size
    if shortfall == 0:
        return given
    gap = pack_size - shortfall
    if rule == "round_up" and sum((w.extra_ok for w in wants), ZERO) >= gap:
        for want in wants:
            extra = min(want.extra_ok, gap)
            given[want.key] += extra
            gap -= extra
            if gap == 0:
                break
        return given
    for want in reversed(wants):
        cut = min(given[want.key], shortfall)
        given[want.key] -= cut
        shortfall -= cut
        if shortfall == 0:
            break
    return given


def packs_by_point(quantities: Mapping[Point, Decimal], pack_size: Decimal) -> dict[Point, int]:
    """The round's whole packs split between its pickup points: each point gets the packs its members fill, and
    the packs left (shared by members of several points) go to the points with the largest part-filled pack,
    so that the points add up to exactly what the round bought and the lorry carries all of it."""
    if pack_size <= 0:
        raise ValueError("pack size must be positive")
    bought = whole_packs(sum(quantities.values(), ZERO), pack_size)
    packs = {point: whole_packs(quantity, pack_size) for point, quantity in quantities.items()}
    left = bought - sum(packs.values())
    by_remainder = sorted(quantities, key=lambda point: quantities[point] - packs[point] * pack_size, reverse=True)
    for point in by_remainder[:left]:
        packs[point] += 1
    return packs
