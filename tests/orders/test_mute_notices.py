"""New rounds are not pushed to a member who asked not to hear of their kind ("ไม่ต้องแจ้งเรื่องลูกหมู")."""

from __future__ import annotations

from flask import Flask

from bot.jobs import rounds as round_jobs
from bot.sandbox.line_api import LineWorld
from tests.orders.conftest import neighbour
from tests.orders.test_reminders_seed import to
from tests.support import Chat, texts


def test_a_muted_kind_of_round_is_left_out_of_the_new_rounds_notice(catalog: Flask, line_world: LineWorld,
                                                                      farmer: Chat) -> None:
    stops = neighbour(catalog, line_world, "สมศรี")
    assert "รอบลูกหมู" in texts(stops.say("ไม่ต้องแจ้งเรื่องลูกหมู"))
    line_world.clear()
    round_jobs.tick(catalog)
    assert "ลูกหมู" in to(line_world, farmer.user_id)
    assert "เปิดรอบใหม่แล้ว" in to(line_world, stops.user_id), "the other rounds still come"
    assert "ลูกหมู" not in to(line_world, stops.user_id)
