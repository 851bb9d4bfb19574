"""A member's details: asking for each, taking the answer as bot.nlu read it, and showing them back."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from linebot.v3.messaging import Message
from sqlalchemy.orm import Session

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Problem, Slots
from handlers.ui import Button, reply, text
from models.member import Member, move_to
from models.network import DISTRICTS, Center, center_by_code, cooperatives_in, district_cooperative, district_name

FIELDS = ("name", "district", "membership_no", "phone")
ECHOED = 40  # characters of a wrong answer shown back to the member
OPTIONAL = frozenset({"membership_no", "phone"})
SKIP = "skip"


def read(field: str, slots: Mapping[str, Any]) -> str | None:
    """The value to store for a typed answer, as bot.nlu read the message (slots `name`, `district`,
    `membership_no`, `phone`), or None when it does not look like one."""
    if field not in FIELDS:
        raise ValueError(f"not a member detail: {field}")
    value = slots.get(field)
    return str(value) if value else None


def picked(field: str, pick: str) -> str | None:
    """The value a button carries: a district's Thai name (its buttons are the only ones that carry a value)."""
    return pick if field == "district" and pick in DISTRICT_NAMES else None


DISTRICT_NAMES = frozenset(thai for thai, _english in DISTRICTS)


def reads(field: str, earlier: Callable[[Turn], Mapping[str, Any]] | None = None,
          ) -> Callable[[Turn, Intent, Slots, bool], str | None]:
    """How a form reads one detail: a button's pick for it, or the typed answer when it is the question asked
    (as bot.nlu read it); else what was answered before (`earlier`: registration keeps the answers in its open
    question, where a typed message's readings cannot overwrite them). A bad answer is explained and asked
    again; "" is a detail left blank."""
    def read_it(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
        pick = slots.get("pick") if slots.get("step") == field else None
        if pick is None and not (answering and intent.text):
            return earlier(turn).get(field) if earlier is not None else None
        value: str | None
        if pick == SKIP or (pick is None and field in OPTIONAL and slots.get("skip")):
            value = ""
        elif field == "name" and pick == "profile":
            value = turn.member.display_name
        elif pick is not None:
            value = picked(field, str(pick))
        else:
            value = read(field, slots)
        if value is None or (value == "" and field not in OPTIONAL):
            raise Problem([text(problem(turn, field, str(pick or intent.text))), *ask(turn, field)])
        return value

    return read_it


def reads_cooperative(earlier: Callable[[Turn], Mapping[str, Any]],
                      ) -> Callable[[Turn, Intent, Slots, bool], str | None]:
    """How a form reads the member's cooperative, asked only where the district has more than one (by button, or
    the number of the button typed): its code; the district's only cooperative without a question; else what was
    chosen before (`earlier`, as `reads`)."""
    def read_it(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
        options = cooperatives_in(turn.db, str(slots.get("district") or ""))
        if len(options) <= 1:
            return options[0].code if options else ""
        codes = [center.code for center in options]
        pick = slots.get("pick") if slots.get("step") == "cooperative" else None
        if pick in codes:
            return str(pick)
        if answering and intent.text:
            number = str(slots.get("number") or "")
            chosen = int(number) if number.isdigit() else 0
            if 1 <= chosen <= len(codes):
                return codes[chosen - 1]
            raise Problem(ask_cooperative(turn, slots, again=True))
        kept = earlier(turn).get("cooperative")
        return str(kept) if kept in codes else None

    return read_it


def ask_cooperative(turn: Turn, slots: Slots, again: bool = False) -> list[Message]:
    _ = turn._
    options = cooperatives_in(turn.db, str(slots.get("district") or ""))
    lines = [_("Please press the button of your cooperative.") if again else
             _("{district} has more than one cooperative. Which one are you a member of?").format(
                 district=district_name(str(slots.get("district")), turn.locale))]
    lines += [f"{n}. {center.name(turn.locale)}" for n, center in enumerate(options, 1)]
    buttons = [(fmt.shortened(center.name(turn.locale), 20),
                Intent("register", {"step": "cooperative", "pick": center.code})) for center in options]
    return reply("\n".join(lines), buttons)


def cooperative_of(db: Session, details: Mapping[str, Any]) -> Center | None:
    """The cooperative the details name: the one chosen, else the district's own."""
    chosen = center_by_code(db, str(details["cooperative"])) if details.get("cooperative") else None
    district = details.get("district") or ""
    return chosen or (district_cooperative(db, district) if district else None)


def phone_text(phone: str) -> str:
    return f"{phone[:3]}-{phone[3:6]}-{phone[6:]}" if len(phone) == 10 else phone


def ask(turn: Turn, field: str, extra: Sequence[Button] = ()) -> list[Message]:
    """The question for one detail, with buttons for the answers a member can just press."""
    _ = turn._
    buttons: list[Button] = []
    if field == "name":
        body = _("What is your full name? Type it, e.g. Somchai Jaidee.")
        if turn.member.display_name:
            label = _("Use \"{name}\"").format(name=turn.member.display_name)
            buttons.append((label, Intent("register", {"step": "name", "pick": "profile"})))
    elif field == "district":
        body = _("Which district of Phatthalung do you live in? Press a button or type its name.")
        buttons = [
            (district_name(thai, turn.locale), Intent("register", {"step": "district", "pick": thai}))
            for thai, _english in DISTRICTS
        ]
    elif field == "membership_no":
        body = _("What is your cooperative membership number? If you do not know it, press \"Leave blank\".")
    else:
        body = _("What is your mobile number? e.g. 081 234 5678. If you prefer not to say, press \"Leave blank\".")
    if field in OPTIONAL:
        buttons.append((_("Leave blank"), Intent("register", {"step": field, "pick": SKIP})))
    return reply(body, [*buttons, *extra])


def problem(turn: Turn, field: str, text: str) -> str:
    """What was wrong with a typed answer and what to type instead."""
    _ = turn._
    typed = text.strip()
    shown = fmt.shortened(typed, ECHOED)
    if field == "name":
        message = _("\"{text}\" does not look like a name. Please type your name in letters, e.g. Somchai Jaidee.")
    elif field == "district":
        message = _("I do not know the district \"{text}\". Please press one of the district buttons.")
    elif field == "membership_no":
        message = _("\"{text}\" is not a membership number. Please type the number on your member card, e.g. 1234.")
    else:
        message = _(
            "\"{text}\" is not a Thai mobile number. "
            "Please type 10 digits starting with 06, 08 or 09, e.g. 081 234 5678."
        )
    return message.format(text=shown)


def summary(turn: Turn, details: Mapping[str, Any]) -> str:
    """The member's details as a short card of lines, in their language."""
    _ = turn._
    blank = _("not given")
    district = details.get("district") or ""
    cooperative = cooperative_of(turn.db, details)
    phone = details.get("phone") or ""
    lines = [
        _("Name: {name}").format(name=details.get("name") or blank),
        _("District: {district}").format(district=district_name(district, turn.locale) if district else blank),
        _("Cooperative: {cooperative}").format(cooperative=cooperative.name(turn.locale) if cooperative else blank),
        _("Membership no.: {number}").format(number=details.get("membership_no") or blank),
        _("Mobile: {phone}").format(phone=phone_text(phone) if phone else blank),
    ]
    return "\n".join(lines)


def save(db: Session, member: Member, field: str, value: str) -> None:
    """Write one detail to the member; a district also sets their district cooperative."""
    if field == "district":
        move_to(db, member, value)
    else:
        setattr(member, field, value or None)


def of_member(member: Member) -> dict[str, Any]:
    details = {field: getattr(member, field) for field in FIELDS}
    return {**details, "cooperative": member.cooperative.code if member.cooperative else None}
