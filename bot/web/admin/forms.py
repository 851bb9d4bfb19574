"""The console's forms: Flask-WTF (every form carries the session's CSRF token), their messages through the
project's catalogs in the console's language.

A validator's message is an English msgid marked with `N_` (so the catalogs carry it); the field macro in
templates/admin/forms.html translates each error as it shows it beside its field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g
from flask_wtf import FlaskForm
from wtforms import SelectField

try:  # WTForms 3.3 takes choices as objects (tuples are deprecated there)
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def N_(text: str) -> str:  # gettext's name for "translate later"
    return text


# What WTForms itself says about a field, in the catalogs too
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid decimal value."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid choice."),
)


class _Catalog:
    """WTForms' translations interface over the console's translator."""

    def gettext(self, text: str) -> str:
        return str(g._(text)) if g.get("_") else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class ConsoleForm(FlaskForm):
    """A console form: WTForms' own messages and the labels of a select's fixed choices in the console's
    language."""

    class Meta:
        def get_translations(self, form: Any) -> _Catalog:
            return _Catalog()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate = g.get("_")
        for field in self:
            if isinstance(field, SelectField) and field.choices and translate:
                field.choices = choices((_value(c), translate(_label(c))) for c in field.choices)


def choices(pairs: Iterable[tuple[Any, str]]) -> list[Any]:
    """A select's (value, label) pairs in the form this WTForms takes."""
    return [SelectChoice(value, label) if SelectChoice else (value, label) for value, label in pairs]


def _value(choice: Any) -> Any:
    return choice[0] if isinstance(choice, tuple) else choice.value


def _label(choice: Any) -> str:
    return str(choice[1] if isinstance(choice, tuple) else choice.label)
