"""Registration in chat: name, district, membership number, mobile number and consent; and the member's profile
actions (handlers.profile), all under the one intent 'register'.

Registering is a form (handlers.forms): the four details, then consent as its confirm step. Editing a detail and
deleting one's data are forms too (profile.EDIT, profile.DELETE); the open question's `flow` says whose it is.
Every action is an Intent('register', slots) so buttons work whatever the NLU makes of typed words: {} starts (or
shows the details of a registered member), {'step': <detail>, 'pick': <value>} answers a question with a button,
{'step': 'edit'|'show'|'export'|'language'|'delete', ...} are the profile actions. Answers collected before consent live
only in the open question, so a member who declines, or walks away, leaves nothing personal on their member row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, profile
from handlers.details import FIELDS, ask, ask_cooperative, cooperative_of, reads, reads_cooperative, save, summary
from handlers.forms import Ask, Confirm, Form, Slots
from handlers.profile import INTENT, WELCOME
from handlers.ui import main_actions, reply, text
from models.member import LANGUAGES


def _consents(slots: Mapping[str, Any]) -> bool | None:
    """The answer to the consent question: a button's pick, or typed in its own words (slot `consent`)."""
    said = slots.get("pick") if slots.get("step") == "consent" else slots.get("consent")
    return {"yes": True, "no": False}.get(str(said))


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


def _consent_again(turn: Turn, state: Slots) -> list[Message]:
    return [text(turn._("Please press \"I consent\" or \"I do not consent\".")), consent_question(turn, state)[-1]]


def _detail(field: str) -> Ask:
    # the welcome's question is the name's
    return Ask(field, lambda turn, slots: ask(turn, field), reads(field, lambda turn: FORM.open(turn)),
               aliases=frozenset({WELCOME}) if field == "name" else frozenset())


# A phone or a membership number is whatever is typed (a wrong one is explained and asked again); "ไม่เข้าใจ"
# (read as help) to a registration question means: ask it again; the welcome's offer to register is no question
# to come back to when a newcomer asks something else first. The dispatcher reads these from this form, the
# route's, for editing a detail too.
def _answered(turn: Turn) -> Mapping[str, Any]:
    return FORM.open(turn)


_ASKS = tuple(_detail(field) for field in FIELDS)
# where the district has more than one cooperative, the member says which is theirs, right after the district
FORM: Form = Form(INTENT, (*_ASKS[:2], Ask("cooperative", ask_cooperative, reads_cooperative(_answered)),
                           *_ASKS[2:]),
            kept=frozenset({*FIELDS, "cooperative"}),
            free_text=frozenset({"phone", "membership_no"}), hears=frozenset({"help"}), optional=frozenset({WELCOME}),
            confirm=Confirm(consent_question, slot="consent", answer=_consents, unclear=_consent_again), flow="join")


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
    FORM.wait(turn, {}, WELCOME)
    hello = text(
        _(
            "Welcome to the Phatthalung cooperative network! I help members with group orders, rubber prices "
            "and price alerts. Let's register first: it takes a minute."
        )
    )
    return [hello, *ask(turn, "name", [profile.language_button(turn)])]


def handle(turn: Turn, intent: Intent) -> list[Message]:
    opened = next(((form, done) for form, done in FLOWS if form.awaiting(turn)), None)
    if intent.text:
        # mid-question only the phrase alone counts: "แก้ชื่อ" edits, "ชื่อ สมชาย" answers
        action = command(intent.slots.get("command" if opened is None else "command_alone"))
        if action is None and opened is not None:
            return opened[0].run(turn, intent, opened[1])
        return act(turn, action or {})
    if opened is not None and not intent.slots.get("step"):
        return opened[0].again(turn, opened[1])  # after a digression, or "register" pressed in the middle
    return act(turn, dict(intent.slots))


def act(turn: Turn, action: Mapping[str, Any]) -> list[Message]:
    step = action.get("step")
    pick = action.get("pick")
    if step in (*FIELDS, "cooperative", "consent") and pick is not None:
        return _picked(turn, Intent(INTENT, {"step": step, "pick": pick}))
    if step == "language":
        return language(turn, str(pick) if pick else None)
    if step == "delete":
        return profile.delete(turn, Intent(INTENT, {"step": "delete", **({"pick": pick} if pick else {})}))
    if not turn.member.registered:
        return start(turn)
    if step == "edit" and action.get("field") in FIELDS:
        return profile.ask_edit(turn, str(action["field"]))
    if step == "export":
        return profile.everything(turn)
    if step == "interests":
        return profile.interests(turn, str(pick) if pick else None)
    return profile.show(turn)


def _picked(turn: Turn, answer: Intent) -> list[Message]:
    """A button's answer: to the registration under way (or a new one), else to the detail being edited."""
    step = answer.slots["step"]
    if step == "consent" or FORM.awaiting(turn) or not turn.member.registered:
        return FORM.run(turn, answer, registered)
    return profile.edit(turn, answer.with_slots(field=step))


def start(turn: Turn) -> list[Message]:
    """Begin registering, or repeat the open question of a registration already under way."""
    if FORM.awaiting(turn) == WELCOME:
        FORM.wait(turn, FORM.open(turn), "name")  # asked for now: the name is a question to come back to
    if FORM.awaiting(turn):
        return FORM.again(turn, registered)
    return [text(turn._("Let's register: four short questions.")), *FORM.run(turn, Intent(INTENT), registered)]


def registered(turn: Turn, state: Slots) -> list[Message]:
    """Only consent writes the details (and consent_at); declining keeps nothing personal."""
    _ = turn._
    member = turn.member
    if not state["confirm"]:
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
    member.cooperative = cooperative_of(turn.db, state)
    member.consent_at = turn.now
    done = _("Thank you, you are registered!") + "\n" + summary(turn, state) + "\n\n" + _(
        "One more thing, if you like: tell me what you raise or grow, so that I tell you only of the rounds that "
        "concern you.")
    return reply(done, [(_("What I raise or grow"), Intent(INTENT, {"step": "interests"})),
                        (_("Edit my details"), Intent(INTENT, {"step": "show"})), *main_actions(_)])


def language(turn: Turn, pick: str | None) -> list[Message]:
    """Switch ไทย / English; this reply and all later ones come in the new language, and a registration under
    way asks its question again in it."""
    locale = pick if pick in LANGUAGES else ("en" if turn.locale == "th" else "th")
    turn.use_language(locale)
    _ = turn._
    if locale == "en":
        done = _("OK, I will answer in English from now on.")
    else:
        done = _("OK, I will answer in Thai from now on.")
    if FORM.awaiting(turn) not in (None, "consent"):
        return [text(done), *FORM.again(turn, registered)]
    return reply(done, main_actions(_))


# the forms under 'register', and what each does once answered
FLOWS: tuple[tuple[Form, Callable[[Turn, Slots], list[Message]]], ...] = (
    (FORM, registered), (profile.EDIT, profile.saved), (profile.DELETE, profile.deleted))
