"""The labelled corpus in tests/data/nlu (JSON lines: text, intent, slots) and its stable held-out split."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "nlu"


@dataclass(frozen=True)
class Row:
    text: str
    intent: str
    slots: dict[str, Any]


def load(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append(Row(item["text"], item["intent"], item["slots"]))
    return rows


def corpus() -> list[Row]:
    return [row for path in sorted(DATA.glob("*.jsonl")) for row in load(path)]


def held_out(text: str) -> bool:
    """One message in five, chosen by a hash of its text so the split never changes with file order."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 5 == 0
