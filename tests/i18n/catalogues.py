"""The translation catalogues and the msgids the code uses, as the i18n gate reads them."""

import ast
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "shopassist" / "locale"
# English is the source language: its text is the msgid. These three are translated.
TRANSLATED = ("fr", "ko", "zh_Hant")

# The command that regenerates the catalogues (docs/architecture.md, "Translations").
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "fr",
    "-l",
    "ko",
    "-l",
    "zh_Hant",
    "--ignore",
    ".venv",
    "--ignore",
    "tests",
    "--ignore",
    "benchmarks",
    "--no-obsolete",
    "--no-location",
]
# var: runtime state (database, collected static files, the benchmarks' throw-away virtualenvs).
_IGNORED_DIRS = {".venv", "tests", "benchmarks", "node_modules", "__pycache__", "var"}
_SCANNED_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' defaults for the django domain

# Entries whose translation is, reviewed, the English text itself: abbreviations every
# language writes so, and French words spelt as in English.
_ABBREVIATIONS = {"API", "ID"}
SAME_AS_ENGLISH = {
    "fr": _ABBREVIATIONS
    | {"OK", "SKU", "Web", "[GLOBAL]", "Global", "Administration", "Configuration", "Documents"}
    | {"Action", "Actions", "action", "Date", "date", "Description", "description"}
    | {"E-mail", "e-mail", "Pages", "Position", "position", "Session", "session"}
    | {"code", "image", "Message", "Notes", "Options", "Total", "Type"},
    "ko": _ABBREVIATIONS,
    "zh_Hant": _ABBREVIATIONS,
}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


@cache
def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)), wrapwidth=0)


def entry_text(entry: polib.POEntry) -> str:
    """Everything the entry shows a reader (singular and plural forms)."""
    if entry.msgid_plural:
        return " ".join(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return entry.msgstr


def is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def without_creation_date(text: str) -> str:
    return re.sub(r'^"POT-Creation-Date: [^"]*"\n', "", text, flags=re.M)


def regenerate_into(target: Path) -> Path:
    """Run the regenerating command on a copy of the tree in ``target``; returns the copied
    locale directory. Copies what makemessages reads: sources, templates and the catalogues."""
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [
            d for d in subdirectories if d not in _IGNORED_DIRS and not d.startswith(".")
        ]
        for name in files:
            path = Path(directory, name)
            if path.suffix in _SCANNED_SUFFIXES or path.suffix == ".po":
                destination = target / path.relative_to(ROOT)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=target,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "SHOPASSIST_VAR_DIR": str(target / "var")},
    )
    return target / "shopassist" / "locale"


# --- msgids as the Python code uses them ----------------------------------------------------
# name → (index of the msgctxt argument or None, index of the msgid, index of the plural)
_GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_msgids() -> dict[tuple[str | None, str], str]:
    """(msgctxt, msgid) → "file:line" of every literal gettext call in shopassist/ and in
    Login as Customer's package, including those inside f-strings, which xgettext (and so
    makemessages) does not see."""
    found = {}
    sources = [ROOT / "shopassist", ROOT / "packages" / "django-login-as-customer" / "src"]
    for path in sorted(path for source in sources for path in source.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in _GETTEXT_CALLS:
                continue
            context_at, msgid_at, _plural_at = _GETTEXT_CALLS[name]
            if len(node.args) <= msgid_at:
                continue
            msgid = _literal(node.args[msgid_at])
            context = _literal(node.args[context_at]) if context_at is not None else None
            if msgid is None or (context_at is not None and context is None):
                continue  # a variable: translated from a msgid declared elsewhere
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            found.setdefault((context, msgid), where)
    return found
