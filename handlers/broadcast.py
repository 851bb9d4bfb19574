"""A coordinator's announcement from chat, as a form with buttons: the text, then who gets it (all the members
the center serves, those of a round, those who raise or grow something, those with a price alert, a district),
then when (now, tomorrow morning, a time picked on the phone, every Monday or every month), each step showing
how many members it reaches and what it costs in LINE messages. The audience is always within the members the
center serves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Form, Problem, Slots
from handlers.profile import INTEREST_NAMES
from handlers.ui import Choice, date_picker, main_actions, reply
from models.announce import PLACE_LIMIT, TEXT_LIMIT
from models.announcements import INTERESTS, Announcement, audience_of, next_time
from models.base import BANGKOK
from models.network import DISTRICTS, Center, district_name
from models.outbox import last_quota, next_month
from models.rounds import Round, center_rounds

MORNING_HOUR = 7
REPEATS = {"weekly": "0 7 * * mon", "monthly": "0 7 1 * *"}  # Thai time, as `coopbot announce --every`
ROUND_CHOICES = 2  # with all, 7 interests, price alerts and districts: 12 of LINE's 13 buttons


def _ask_body(turn: Turn, slots: Slots) -> list[Message]:
    center = turn.member.center
    return reply(turn._("Type the announcement for the members of {center}. Type \"cancel\" to stop.").format(
        center=center.name(turn.locale) if center else ""))


def _read_body(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    """The text as typed: the whole message when it answers "type the announcement", else what follows the
    command in "ประกาศ <text>"."""
    body = str(slots.get("body") or (intent.text if answering else slots.get("announcement")) or "").strip()
    if len(body) > TEXT_LIMIT:
        raise Problem(reply(turn._("That is too long ({n} characters). Please keep it under {limit} characters and "
                                   "type it again.").format(n=fmt.number(len(body)), limit=fmt.number(TEXT_LIMIT))))
    return body or None


def _ask_place(turn: Turn, slots: Slots) -> list[Message]:
    return reply(turn._("Where is the meeting? Type the place, for example: the cooperative's meeting room."))


def _read_place(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    place = str(slots.get("place") or (intent.text if answering else "") or "").strip()
    if len(place) > PLACE_LIMIT:
        raise Problem(reply(turn._("That is too long ({n} characters). Please keep the place under {limit} "
                                   "characters.").format(n=fmt.number(len(place)), limit=fmt.number(PLACE_LIMIT))))
    return place or None


# The text first; a meeting's place once its time is picked (the draft then exists: its id is kept)
BROADCAST = Form("broadcast", (Ask("body", _ask_body, _read_body, needed=lambda slots: not slots.get("draft")),
                               Ask("place", _ask_place, _read_place, needed=lambda slots: bool(slots.get("draft")))),
                 kept=frozenset({"draft"}), free_text=frozenset({"body", "place"}),
                 confirms_commands=frozenset({"body", "place"}))


def broadcast(turn: Turn, intent: Intent) -> list[Message]:
    """Coordinator: type the text (or "ประกาศ <text>" in one line); then the buttons of the draft."""
    _ = turn._
    center = turn.member.center
    if center is None:
        return reply(_("Your account is not linked to a center yet. Ask an admin to set it."))
    draft_id = str(intent.slots.get("draft") or "")
    if not draft_id:
        return BROADCAST.run(turn, intent, lambda turn, slots: _draft(turn, center, slots["body"]))
    draft = turn.db.get(Announcement, int(draft_id)) if draft_id.isdigit() else None
    if draft is None or draft.center_id != center.id or draft.author_id != turn.member.id:
        return reply(_("I could not find that announcement. Type \"announce\" to write a new one."))
    if draft.status != "draft":
        return reply(_("This announcement was already handled."))
    pressed = any(slot in intent.slots for slot in ("to", "when", "meeting"))
    if not pressed and BROADCAST.awaiting(turn) == "place":
        return BROADCAST.run(turn, intent, lambda turn, slots: _placed(turn, draft, slots["place"]))
    if "meeting" in intent.slots:
        return _meeting(turn, draft, intent.slots)
    if "to" in intent.slots:
        return _choose_audience(turn, draft, intent.slots)
    return _decide(turn, draft, intent.slots)


def _meeting(turn: Turn, draft: Announcement, slots: Mapping[str, Any]) -> list[Message]:
    """A meeting's time, picked on the phone; then its place is asked, and members answer ไป / ไม่ไป."""
    picked = _picked(slots.get("picked"))
    if picked is None:
        return _preview(turn, draft, turn._("I could not read that time. Please pick it again."))
    if picked <= turn.now:
        return _preview(turn, draft, turn._("That time has passed. Pick the meeting's time again."))
    draft.meeting_at, draft.every = picked, None  # a meeting happens once
    return BROADCAST.run(turn, Intent("broadcast", {"draft": draft.id}),
                         lambda turn, s: _placed(turn, draft, s["place"]))


def _placed(turn: Turn, draft: Announcement, place: str) -> list[Message]:
    turn.finish()
    draft.place = place
    return _preview(turn, draft)


def _draft(turn: Turn, center: Center, body: str) -> list[Message]:
    turn.finish()
    draft = Announcement(center_id=center.id, author_id=turn.member.id, body=body, send_at=turn.now, status="draft")
    turn.db.add(draft)
    turn.db.flush()
    return _preview(turn, draft)


def _who(turn: Turn, draft: Announcement) -> str:
    """The audience in words: "the members of X", narrowed to a round, an interest or a district."""
    _ = turn._
    center = draft.center.name(turn.locale)
    if draft.round_id is not None:
        round_ = turn.db.get(Round, draft.round_id)
        product = round_.product.name(turn.locale) if round_ else _("a round that has ended")
        return _("the members of {center} with an order in the {product} round").format(center=center, product=product)
    if draft.interest:
        return _("the members of {center} who raise or grow: {what}").format(
            center=center, what=_(INTEREST_NAMES[draft.interest]))
    if draft.with_alerts:
        return _("the members of {center} with a price alert").format(center=center)
    if draft.districts:
        places = ", ".join(district_name(d, turn.locale) for d in draft.districts)
        return _("the members of {center} in {district}").format(center=center, district=places)
    return _("all the members of {center}").format(center=center)


def _preview(turn: Turn, draft: Announcement, problem: str = "") -> list[Message]:
    """The draft with its audience, count and cost, and the buttons: when to send, or whom to send it to."""
    _ = turn._
    count = len(audience_of(turn.db, draft))
    local = turn.now.astimezone(BANGKOK)
    question = _("Send this to {n} members ({who})? It uses {n} of LINE's messages.\n\n{body}").format(
        n=fmt.number(count), who=_who(turn, draft), body=draft.body)
    if draft.meeting_at is not None:
        question += "\n\n" + _("Meeting: {moment}, at {place}. Members answer with the buttons I will come / I "
                                 "cannot come.").format(moment=fmt.moment(draft.meeting_at.astimezone(BANGKOK),
                                                                           turn.locale), place=draft.place or "-")
    warning = quota_warning(turn, count)
    head = f"{problem}\n\n" if problem else ""
    choices: list[Choice] = [(_("Choose who gets it"), Intent("broadcast", {"draft": draft.id, "to": "menu"}))]
    if count:
        choices = [
            (_("Send now"), Intent("broadcast", {"draft": draft.id, "when": "now"})),
            (_("Tomorrow 07:00"), Intent("broadcast", {"draft": draft.id, "when": "morning"})),
            date_picker(_("Pick a time"), Intent("broadcast", {"draft": draft.id, "when": "picked"}),
                        (local + timedelta(hours=1)).replace(minute=0), local),
            *([] if draft.meeting_at else [
                (_("Every Monday 07:00"), Intent("broadcast", {"draft": draft.id, "when": "weekly"})),
                (_("Every 1st, 07:00"), Intent("broadcast", {"draft": draft.id, "when": "monthly"}))]),
            date_picker(_("A meeting: its time"), Intent("broadcast", {"draft": draft.id, "meeting": "picked"}),
                        (local + timedelta(days=1)).replace(hour=9, minute=0), local),
            *choices,
        ]
    else:
        question = _("Nobody would get it: {who} are not registered in the bot yet. Choose other members, or "
                     "\"Don't send\".").format(who=_who(turn, draft)) + f"\n\n{draft.body}"
    choices.append((_("Don't send"), Intent("broadcast", {"draft": draft.id, "when": "never"})))
    return reply(head + question + (f"\n\n{warning}" if warning else ""), choices)


def _choose_audience(turn: Turn, draft: Announcement, slots: Mapping[str, Any]) -> list[Message]:
    """The audience buttons, or one of them pressed: only members the center serves can be chosen."""
    _ = turn._
    to, value = slots.get("to"), str(slots.get("value") or "")
    rounds = center_rounds(turn.db, draft.center_id)
    chosen: dict[str, Any] | None = None  # the one narrowing pressed; the others are cleared
    if to in ("all", "alerts"):
        chosen = {"with_alerts": to == "alerts"}
    elif to == "round" and value.isdigit() and int(value) in {r.id for r in rounds}:
        chosen = {"round_id": int(value)}
    elif to == "interest" and value in INTERESTS:
        chosen = {"interest": value}
    elif to == "district" and value in dict(DISTRICTS):
        chosen = {"districts": [value]}
    if chosen is not None:
        draft.districts, draft.round_id = chosen.get("districts"), chosen.get("round_id")
        draft.interest, draft.with_alerts = chosen.get("interest"), chosen.get("with_alerts", False)
        return _preview(turn, draft)
    if to == "districts":
        buttons: list[Choice] = [(district_name(code, turn.locale), Intent(
            "broadcast", {"draft": draft.id, "to": "district", "value": code})) for code, _english in DISTRICTS]
        back = (_("Back"), Intent("broadcast", {"draft": draft.id, "to": "menu"}))
        return reply(_("Which district?"), [*buttons[:12], back])
    choices: list[Choice] = [(_("All members"), Intent("broadcast", {"draft": draft.id, "to": "all"}))]
    choices += [(_("Ordered: {product}").format(product=r.product.name(turn.locale)),
                 Intent("broadcast", {"draft": draft.id, "to": "round", "value": r.id}))
                for r in rounds[:ROUND_CHOICES]]
    choices += [(_(INTEREST_NAMES[i]), Intent("broadcast", {"draft": draft.id, "to": "interest", "value": i}))
                for i in INTERESTS]
    choices.append((_("With a price alert"), Intent("broadcast", {"draft": draft.id, "to": "alerts"})))
    if draft.center.level == "province" or draft.center.brand is not None:
        choices.append((_("A district"), Intent("broadcast", {"draft": draft.id, "to": "districts"})))
    return reply(_("Who should get it? All the members of {center}, those with an order in a round, or those "
                   "who raise or grow something.").format(center=draft.center.name(turn.locale)), choices)


def _decide(turn: Turn, draft: Announcement, slots: Mapping[str, Any]) -> list[Message]:
    _ = turn._
    when = slots.get("when")
    local = turn.now.astimezone(BANGKOK)
    if when == "never":
        draft.status = "cancelled"
        return reply(_("OK, the announcement was not sent."), main_actions(_))
    if when == "morning":
        draft.send_at = (local + timedelta(days=1)).replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    elif when == "picked":
        picked = _picked(slots.get("picked"))
        if picked is None:
            return _preview(turn, draft, _("I could not read that time. Please pick it again."))
        if picked <= turn.now:
            return _preview(turn, draft, _("That time has passed. Pick a time to come, or send now."))
        draft.send_at = picked
    elif when in REPEATS and draft.meeting_at is None:
        draft.every = REPEATS[str(when)]
        first = next_time(draft.every, turn.now)
        assert first is not None  # the rules above always fire
        draft.send_at = first
    elif when == "now":
        draft.send_at = turn.now
    else:
        return _preview(turn, draft)
    if draft.meeting_at is not None and not draft.place:
        return BROADCAST.run(turn, Intent("broadcast", {"draft": draft.id}),
                             lambda turn, s: _placed(turn, draft, s["place"]))
    if draft.meeting_at is not None and draft.meeting_at <= draft.send_at:
        return _preview(turn, draft, _("The meeting would be over before the announcement goes out. Send it "
                                       "earlier, or pick the meeting's time again."))
    count = len(audience_of(turn.db, draft))
    if not count:
        return _preview(turn, draft)
    draft.status = "scheduled"
    warning = quota_warning(turn, count)
    if when == "now":
        said = _("Sending now to {n} members ({who}). I will tell you when it has gone out.")
    elif draft.every:
        said = _("It goes to {n} members ({who}) on {when}, and again each time after that. To stop it, cancel it on "
                 "the web page (type \"console link\").")
    else:
        said = _("Scheduled for {when}, to {n} members ({who}).")
    text = said.format(n=fmt.number(count), who=_who(turn, draft),
                       when=fmt.moment(draft.send_at.astimezone(BANGKOK), turn.locale))
    return reply(text + (f"\n{warning}" if warning else ""))


def _picked(value: Any) -> datetime | None:
    """The date picker's "2026-12-01T09:00", Thai local time, as a moment."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M").replace(tzinfo=BANGKOK)
    except ValueError:
        return None


def quota_warning(turn: Turn, count: int) -> str:
    """Said before and when sending, if LINE's messages left this month (as last read) do not cover all."""
    left = last_quota(turn.db)
    if left is None or count <= left:
        return ""
    return turn._("LINE has {left} messages left this month: {rest} members will get it on {when}, when "
                  "the month's messages start again.").format(
        left=fmt.number(left), rest=fmt.number(count - left),
        when=fmt.day(next_month(turn.now), turn.locale))
