"""Registration in chat: name, district, membership number, mobile number and consent.

Every action is an Intent('register', slots) so buttons work whatever the NLU makes of typed words:
{} starts (or shows the details of a registered member), {'step': <detail>, 'pick': <value>} answers a
question with a button, {'step': 'edit'|'show'|'language'|'delete', ...} are the profile actions
(handlers.profile). Answers collected before consent live only in the pending conversation, so a member
who declines, or walks away, leaves nothing personal on their member row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, profile
from handlers.details import FIELDS, OPTIONAL, SKIP, ask, picked, problem, read, save, summary
from handlers.forms import Form
from handlers.ui import main_actions, reply, text
from models.conversation import Conversation

INTENT = "register"
# A phone or a membership number is whatever is typed (a wrong one is explained and asked again); "ไม่เข้าใจ"
# (read as help) to a registration question means: ask it again; the welcome's offer to register is no question
# to come back to when a newcomer asks something else first.
FORM = Form(INTENT, free_text=frozenset({"phone", "membership_no"}), hears=frozenset({"help"}),
            optional=frozenset({profile.WELCOME}))


def command(action: str | None) -> dict[str, str] | None:
    """A profile action as bot.nlu read it from a typed phrase (slot `command`: 'delete', 'edit:phone',
    'language:en', 'show', 'register', …), as the slots its buttons carry."""
    if not action:
        return None
    step, _, value = action.partition(":")
    if step == "edit":
        return {"step": "edit", "field": value}
    if step == "language":
        return {"step": "language", **({"pick": value} if value else {})}
    if step == "register":
        return {}
    return {"step": step}


def welcome(turn: Turn) -> list[Message]:
    """A new friend: greet them and ask the first registration question straight away."""
    _ = turn._
    if turn.member.registered:
        return reply(_("Welcome back! How can I help you today?"), main_actions(_))
    turn.expect(INTENT, {"flow": "join"}, profile.WELCOME)
    hello = text(
        _(
            "Welcome to the Phatthalung cooperative network! I help members with group orders, rubber prices "
            "and price alerts. Let's register first: it takes a minute."
        )
    )
    return [hello, *ask(turn, "name", [profile.language_button(turn)])]


def handle(turn: Turn, intent: Intent) -> list[Message]:
    pending = turn.pending if turn.pending is not None and turn.pending.intent == INTENT else None
    if intent.text:
        # mid-question only the phrase alone counts: "แก้ชื่อ" edits, "ชื่อ สมชาย" answers
        action = command(intent.slots.get("command" if pending is None else "command_alone"))
        if action is None and pending is not None:
            step = profile.open_question(pending)
            return answer(turn, pending, step, typed=intent.text, said=intent.slots)
        return act(turn, pending, action or {})
    return act(turn, pending, dict(intent.slots))


def act(turn: Turn, pending: Conversation | None, action: Mapping[str, Any]) -> list[Message]:
    step = action.get("step")
    pick = action.get("pick")
    if step in (*FIELDS, "consent") and pick is not None:
        return answer(turn, pending, str(step), pick=str(pick))
    if step == "language":
        return profile.language(turn, pending, str(pick) if pick else None)
    if step == "delete":
        return profile.delete(turn, str(pick) if pick else None)
    if not turn.member.registered:
        return start(turn, pending)
    if step == "edit" and action.get("field") in FIELDS:
        return profile.ask_edit(turn, str(action["field"]))
    return profile.show(turn)


def start(turn: Turn, pending: Conversation | None) -> list[Message]:
    """Begin registering, or repeat the open question of a registration already under way."""
    if pending is not None and pending.slots.get("flow") == "join":
        step = profile.open_question(pending)
        turn.expect(INTENT, pending.slots, step)
        return consent_question(turn, pending.slots) if step == "consent" else ask(turn, step)
    turn.expect(INTENT, {"flow": "join"}, "name")
    return [text(turn._("Let's register: four short questions.")), *ask(turn, "name")]


def answer(
    turn: Turn,
    pending: Conversation | None,
    step: str,
    typed: str = "",
    pick: str = "",
    said: Mapping[str, Any] | None = None,
) -> list[Message]:
    """One answer to a registration or edit question, pressed (`pick`) or typed (`said`: the slots bot.nlu read
    from it; `typed` only to show a wrong one back); a bad one changes nothing."""
    said = said or {}
    state = dict(pending.slots) if pending is not None else {}
    flow = state.get("flow") or ("edit" if turn.member.registered else "join")
    if step == "delete":
        return profile.delete(turn, pick or said.get("answer") or "again")
    if step == "consent":
        return consent(turn, state, pick or said.get("consent") or "again")
    if step not in FIELDS:
        return start(turn, None)
    if pick == SKIP or (not pick and step in OPTIONAL and said.get("skip")):
        value: str | None = ""
    elif step == "name" and pick == "profile":
        value = turn.member.display_name
    elif pick:
        value = picked(step, pick)
    else:
        value = read(step, said)
    if value is None or (value == "" and step not in OPTIONAL):
        return [text(problem(turn, step, pick or typed)), *ask(turn, step)]
    if flow == "edit":
        turn.finish()
        save(turn.db, turn.member, step, value)
        return profile.show(turn, saved=True)
    state = {**state, "flow": "join", step: value}
    following = next((field for field in FIELDS if field not in state), "consent")
    turn.expect(INTENT, state, following)
    return consent_question(turn, state) if following == "consent" else ask(turn, following)


def consent_question(turn: Turn, state: Mapping[str, Any]) -> list[Message]:
    _ = turn._
    buttons = [
        (_("I consent"), Intent(INTENT, {"step": "consent", "pick": "yes"})),
        (_("I do not consent"), Intent(INTENT, {"step": "consent", "pick": "no"})),
    ]
    return [
        text(_("Please check your details:") + "\n" + summary(turn, state)),
        text(
            _(
                "To keep these details we need your consent. We keep your name, district, membership number "
                "and mobile number to run group orders, send you prices and news, and let your cooperative "
                "contact you about pick-up. They are used only within the cooperative network. You can delete "
                "them any time by typing \"delete my data\".\nDo you consent?"
            ),
            buttons,
        ),
    ]


def consent(turn: Turn, state: Mapping[str, Any], said: str) -> list[Message]:
    """Only consent writes the details (and consent_at); declining keeps nothing personal."""
    _ = turn._
    if not all(field in state for field in FIELDS):
        return start(turn, None)
    if said not in ("yes", "no"):
        return [text(_("Please press \"I consent\" or \"I do not consent\".")), consent_question(turn, state)[-1]]
    turn.finish()
    member = turn.member
    if said == "no":
        member.forget()
        return reply(
            _(
                "OK, I have not kept your details. You can still see rubber prices and news. "
                "To join group orders, register any time."
            ),
            [(_("Register"), Intent(INTENT)), *main_actions(_)],
        )
    for field in FIELDS:
        save(turn.db, member, field, str(state[field]))
    member.consent_at = turn.now
    done = _("Thank you, you are registered!") + "\n" + summary(turn, state)
    return reply(done, [(_("Edit my details"), Intent(INTENT, {"step": "show"})), *main_actions(_)])

