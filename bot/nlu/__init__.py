"""Thai understanding: `parse(text) -> Intent` with the contract's intent and slot names (DESIGN.md).

A first cut that knows greeting, help and register; the Thai-understanding issue fills in the rest.
"""

from __future__ import annotations

from handlers import Intent

_KEYWORDS = (
    ("greeting", ("สวัสดี", "หวัดดี", "hello", "hi")),
    ("help", ("วิธีใช้", "ช่วยเหลือ", "ทำอะไรได้บ้าง", "help")),
    ("register", ("สมัคร", "ลงทะเบียน", "ข้อมูลของฉัน", "register")),
)
_YES = ("ใช่", "ตกลง", "ยืนยัน", "ok", "yes", "โอเค")
_NO = ("ไม่", "no")


def parse(text: str) -> Intent:
    lowered = text.strip().lower()
    for name, words in _KEYWORDS:
        if any(word in lowered for word in words):
            return Intent(name, {}, text)
    return Intent("unknown", {}, text)


def answer(text: str) -> str | None:
    """'yes' or 'no' when the message answers a yes/no question, else None."""
    lowered = text.strip().lower()
    if lowered in ("ยกเลิก", "cancel"):
        return "cancel"
    if any(lowered.startswith(word) for word in _NO):
        return "no"
    if any(lowered.startswith(word) for word in _YES):
        return "yes"
    return None
