"""The console's forms: Flask-WTF (every form carries the session's CSRF token), their messages through the
project's catalogs in the console's language.

A validator's message is an English msgid marked with `N_` (so the catalogs carry it); the field macro in
templates/admin/forms.html translates each error as it shows it beside its field."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_wtf import FlaskForm


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
    class Meta:
        def get_translations(self, form: Any) -> _Catalog:
            return _Catalog()
