"""The catalogues match the code and are fully translated (the i18n gate of `make test`)."""

import difflib
import re

import pytest

from tests.i18n.catalogues import (
    ALL,
    SAME_AS_ENGLISH,
    TRANSLATED,
    all_entries,
    catalogue,
    entry_text,
    is_translated,
    po_path,
    python_msgids,
    regenerate_into,
    without_creation_date,
)

BOTH = pytest.mark.parametrize("catalogues", ALL, ids=[c.name for c in ALL])


@BOTH
def test_regenerating_the_catalogues_changes_nothing(tmp_path, catalogues):
    """makemessages on a copy of the tree writes the catalogues as committed: no msgid of the
    code is missing, none left over (obsolete entries are dropped, not kept as ``#~``)."""
    locale = regenerate_into(tmp_path, catalogues)
    changes = []
    for language in TRANSLATED:
        committed = without_creation_date(po_path(language, catalogues).read_text()).splitlines()
        regenerated = (locale / language / "LC_MESSAGES" / "django.po").read_text()
        changes += difflib.unified_diff(
            committed,
            without_creation_date(regenerated).splitlines(),
            f"committed/{language}",
            f"regenerated/{language}",
            lineterm="",
            n=1,
        )
    assert not changes, "the catalogues are out of date with the code (make catalogues):\n" + (
        "\n".join(changes[:120])
    )


@BOTH
def test_no_obsolete_entries_are_kept(catalogues):
    obsolete = {
        language: [e.msgid for e in catalogue(language, catalogues).obsolete_entries()]
        for language in TRANSLATED
    }
    assert obsolete == {language: [] for language in TRANSLATED}


@BOTH
def test_every_msgid_the_python_code_uses_is_in_every_catalogue(catalogues):
    """Also the ones makemessages cannot see (a gettext call inside an f-string)."""
    missing = {}
    for language in TRANSLATED:
        known = {(e.msgctxt, e.msgid) for e in catalogue(language, catalogues).translated_entries()}
        used = python_msgids(catalogues)
        absent = {key: where for key, where in used.items() if key not in known}
        if absent:
            missing[language] = absent
    assert not missing


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    entries = all_entries(language)
    assert [e.msgid for e in entries if not is_translated(e)] == []
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_merely_repeats_the_english_text(language):
    """The same text in both languages only where reviewed (SAME_AS_ENGLISH): "SKU" left as
    "SKU" in Korean is an untranslated entry."""
    repeated = {
        e.msgid
        for e in all_entries(language)
        if re.search("[A-Za-z]", e.msgid) and entry_text(e) == e.msgid
    }
    assert repeated - SAME_AS_ENGLISH[language] == set()


# French typography: a no-break space before ":" (U+00A0) and a narrow one before ";", "!"
# and "?" (U+202F), inside « » too; never a plain space that lets the sign wrap to a new line.
_FRENCH_BREAKABLE = re.compile(
    r"[^\s\u00a0\u202f][:;!?](?=\s|$|\W)(?!//)"  # glued to the word (but not "https://")
    r"| [:;!?»]"  # a plain space, which may wrap
    r"|« "
)


def test_french_puts_a_no_break_space_before_high_punctuation():
    offending = {}
    for e in all_entries("fr"):
        text = entry_text(e)
        hits = [m.group() for m in _FRENCH_BREAKABLE.finditer(text) if not _is_code(text, m)]
        if hits:
            offending[e.msgid] = text
    assert offending == {}


def _is_code(text: str, match: re.Match) -> bool:
    """Inside `backquoted code`, or a time such as 10:30."""
    before = text[: match.start() + 1]
    return before.count("`") % 2 == 1 or bool(
        re.search(r"\d:\d", text[match.start() : match.end() + 1])
    )
