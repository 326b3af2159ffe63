"""Django's own strings that its catalogs leave untranslated, shown on Ventanilla's screens.

Nothing imports this module: `makemessages` reads it, so these strings stay in
ventanilla/locale, whose translations Django prefers to its own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = [
    # The empty choice of model select fields (new in Django 6.1; no es/pt translation yet).
    gettext_noop("- Select an option -"),
    # MinimumLengthValidator: untranslated in Django's pt catalog.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
]
