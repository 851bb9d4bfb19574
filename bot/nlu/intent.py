"""What the member wants, as the rest of the house receives it: an intent name and its slots (the contract:
README, "Thai understanding"), and how an intent travels in a button's postback data. Standard library only:
importing it costs nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

NUMBER_SLOTS = frozenset({"quantity", "threshold", "price", "weight_kg", "drc", "days"})
"""the contract's number slots: they travel as text in a postback and come back as numbers"""
POSTBACK_LIMIT = 300
ACTIONS = frozenset({"order.join", "order.change", "order.cancel", "sell.pledge", "alert.create", "alert.cancel",
                     "price.post", "broadcast", "round.close"})
"""the intents that change something: the bot starts one only on a confident reading"""
SURE = 0.7
"""the confidence below which a reading that would act is asked about instead (bench/nlu.py: calibration)"""


@dataclass(frozen=True)
class Intent:
    """What the member wants: a contract intent name and its slots (README, "Thai understanding")."""

    name: str
    slots: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""
    confidence: float = 1.0
    """how likely the reader thinks this reading is (a button's postback is certain)"""
    runner_up: Intent | None = None
    """the next likeliest reading, with its own slots, for a reading not sure enough to act on"""

    def to_postback(self) -> str:
        """Encode for a button's postback data (at most 300 characters, as LINE allows)."""
        data = urlencode({"i": self.name, **{k: _encode(v) for k, v in self.slots.items()}})
        if len(data) > POSTBACK_LIMIT:
            raise ValueError(f"postback data for {self.name} is {len(data)} characters, over LINE's 300")
        return data

    @classmethod
    def from_postback(cls, data: str) -> Intent | None:
        pairs = dict(parse_qsl(data, keep_blank_values=False))
        name = pairs.pop("i", None)
        if not name:
            return None
        try:
            slots = {k: _decode(k, v) for k, v in pairs.items()}
        except ValueError:
            return None
        return cls(name, slots)

    @property
    def unsure(self) -> bool:
        """A reading that would change something, not confident enough to act on: the bot asks which was meant."""
        return self.name in ACTIONS and self.confidence < SURE

    @property
    def doubted(self) -> bool:
        """Read as nothing the bot does only because the likelier request was too unsure (bot.nlu.parser.DOUBT):
        that request is the runner-up, and the bot asks whether it was meant."""
        return self.name == "unknown" and self.runner_up is not None and self.runner_up.confidence > self.confidence

    def with_slots(self, **slots: Any) -> Intent:
        return replace(self, slots={**self.slots, **slots})


def _encode(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(name: str, value: str) -> Any:
    if name in NUMBER_SLOTS:
        number = float(value)
        return int(number) if number.is_integer() else number
    if value in ("true", "false"):
        return value == "true"
    return value
