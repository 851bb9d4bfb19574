"""`coopbot parse` (contract): one JSON object per message, from arguments or standard input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import cli


def lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_parse_arguments() -> None:
    result = CliRunner().invoke(cli, ["parse", "สั่งอาหารหมูซีพี ๖ กระสอบ", "ตั้งราคาน้ำยาง 59.00", "ฝนตก"])
    assert result.exit_code == 0, result.output
    assert lines(result.output) == [
        {"text": "สั่งอาหารหมูซีพี ๖ กระสอบ", "intent": "order.join",
         "slots": {"product": "feed", "brand": "cp", "animal": "pig", "quantity": 6, "unit": "sack"}},
        {"text": "ตั้งราคาน้ำยาง 59.00", "intent": "price.post", "slots": {"rubber_type": "latex", "price": 59.0}},
        {"text": "ฝนตก", "intent": "unknown", "slots": {}},
    ]
    assert '"quantity": 6' in result.output and '"price": 59.0' in result.output  # numbers, not strings


def test_parse_standard_input_one_message_a_line() -> None:
    result = CliRunner().invoke(cli, ["parse"], input="ราคายาง\n\nส่งราคายางให้ทุกวัน\n")
    assert result.exit_code == 0, result.output
    assert lines(result.output) == [
        {"text": "ราคายาง", "intent": "price.today", "slots": {}},
        {"text": "ส่งราคายางให้ทุกวัน", "intent": "alert.create", "slots": {"daily": True}},
    ]


def test_a_message_starting_with_a_minus_is_a_message_not_an_option() -> None:
    result = CliRunner().invoke(cli, ["parse", "-5 กระสอบ", "-1"])
    assert result.exit_code == 0, result.output
    assert [row["text"] for row in lines(result.output)] == ["-5 กระสอบ", "-1"]
