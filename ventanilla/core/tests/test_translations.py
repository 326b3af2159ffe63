"""Every user-facing string is translated to Spanish, English and Portuguese, and compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ROOT = LOCALE.parent.parent
LANGUAGES = ["es", "en", "pt_BR"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalog if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    po = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(folder / "django.po"))
        if e.translated()
    }
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(folder / "django.mo"))
        if e.msgid
    }
    assert po == mo, f"{language}: run `make messages` to recompile django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogs(tmp_path):
    """makemessages on a copy of the code finds nothing the committed catalogs lack."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "ventanilla",
        copy / "ventanilla",
        ignore=shutil.ignore_patterns("__pycache__", "static"),
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete", "--no-location"],
        cwd=copy,
        capture_output=True,
        text=True,
        # A clean environment: only gettext's tools, a local run, and a throwaway var/ dir.
        env={
            "PATH": str(Path(shutil.which("xgettext")).parent) + ":/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "VENTANILLA_LOCAL": "true",
            "VENTANILLA_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(copy),
        },
    )
    assert done.returncode == 0, f"makemessages failed:\n{done.stdout}\n{done.stderr}"
    fresh = {
        e.msgid
        for e in polib.pofile(str(copy / "ventanilla/locale/es/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "es/LC_MESSAGES/django.po"))}
    new = sorted(fresh - committed)
    assert not new, f"run `make messages`: {len(new)} new strings, e.g. {new[:5]}"
