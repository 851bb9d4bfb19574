"""bot.nlu.items: a message ordering several things is cut into one text per item, so none is dropped."""

from __future__ import annotations

from bot import nlu


def test_a_message_of_several_items_is_cut_into_items() -> None:
    assert nlu.items("ปุ๋ย 2 กระสอบ ข้าวสาร 3 ถุง") == ["ปุ๋ย 2 กระสอบ", "ข้าวสาร 3 ถุง"]
    assert nlu.items("ซีพี 10 กระสอบ เบทาโก 5 กระสอบ แหลมทอง 2 กระสอบ") == [
        "ซีพี 10 กระสอบ", "เบทาโก 5 กระสอบ", "แหลมทอง 2 กระสอบ"]
    for one in ("สั่งอาหารหมูซีพี 10 กระสอบ", "อาหารหมูซีพี 10 กระสอบ ซีพีนะ", "ปุ๋ย 15-15-15 2 กระสอบ", "ราคายาง", ""):
        assert nlu.items(one) == [one]
