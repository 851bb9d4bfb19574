"""Registration as members type it (issue 12's findings): a district inside a sentence, "I don't know my member
number" as skipping it, and a command typed for a name never saved as the name."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.handlers.test_register import PHONE_QUESTION, member_of, somchai, waiting_for
from tests.support import Chat, texts


def test_a_district_inside_a_sentence_and_not_knowing_the_member_number(somchai: Chat, db: Session) -> None:
    somchai.say("สมัคร")
    somchai.say("สมชาย ใจดี")
    assert "เลขสมาชิก" in texts(somchai.say("อยู่กงหราครับ"))
    assert PHONE_QUESTION in texts(somchai.say("ไม่รู้เลขสมาชิกครับ"))
    member = member_of(db, somchai)
    assert waiting_for(db, member) == "phone"


def test_a_command_typed_for_a_name_is_done_and_never_saved_as_the_name(somchai: Chat, db: Session) -> None:
    somchai.say("สมัคร")
    answer = somchai.say("ราคาน้ำยางวันนี้")
    assert "ขอทราบชื่อ" in texts(answer[-1:]), "the price is answered, then the name asked again"
    member = member_of(db, somchai)
    assert member.name is None and waiting_for(db, member) == "name"


__all__ = ["somchai"]  # the fixture, shared with test_register
