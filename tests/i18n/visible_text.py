"""What a page shows a reader, and the English left in it.

A page rendered in French, Korean or Traditional Chinese leaks English when it shows the English
text of one of our msgids (the catalogue's own "dictionary"), when it shows Latin-script words in
Korean or Chinese, or — in French — when a colon, semicolon, "!" or "?" is not preceded by a
no-break space. Names and product data (the allow-list) are taken out first.
"""

import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django

from tests.i18n.catalogues import SAME_AS_ENGLISH, all_entries, entry_text, python_msgids

# Attributes whose text a reader sees or hears.
_SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
_BUTTON_INPUTS = {"submit", "button", "reset"}
# Scripts are no text; <code> shows identifiers and JSON (action codes, log details).
_SKIPPED = {"script", "style", "template", "code"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
            return
        attributes = dict(attrs)
        for name in _SHOWN_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and (attributes.get("type") or "") in _BUTTON_INPUTS:
            self.parts.append(attributes.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED:
            self._skipping -= 1

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text and shown attributes, one part per line, tags and scripts stripped."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    # Collapse layout whitespace only: a no-break space is part of the text.
    parts = (re.sub(r"[ \t\r\n]+", " ", part).strip(" ") for part in parser.parts)
    return "\n".join(part for part in parts if part)


def without(text: str, allowed: set[str]) -> str:
    """The text with every allowed string (names, product data) blanked out, longest first."""
    for value in sorted(allowed, key=len, reverse=True):
        if value and re.search("[A-Za-z]", value):
            text = _bounded(value).sub(" \u2400 ", text)
    return _IDENTIFIER.sub(" \u2400 ", text)


# Codes shown as they are stored: action codes (consent.grant), model labels, snake_case.
_IDENTIFIER = re.compile(r"(?<![\w.])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w])")


# --- the dictionary: English text of our msgids --------------------------------------------
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|<[^>]*>|\{[^}]*\}|\n")
_EDGE = " \t.,:;!?()[]\"'“”‘’«»—–-…*#/|›"


def _fragments(msgid: str) -> list[str]:
    """The literal runs of text between placeholders and markup, trimmed."""
    pieces = (piece.strip(_EDGE) for piece in _PLACEHOLDER.split(msgid))
    return [piece for piece in pieces if len(re.findall("[A-Za-z]", piece)) >= 2]


def _bounded(fragment: str) -> re.Pattern:
    """The fragment as a whole word: Korean particles may follow it ("Kim Minji님")."""
    return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(fragment) + r"(?![A-Za-z0-9_])")


@cache
def dictionary(language: str) -> dict[str, re.Pattern]:
    """English fragment → its pattern, for every msgid whose English text must not show in
    ``language``: fragments the translations themselves use (a brand, a code kept as is)
    are left out."""
    entries = all_entries(language)
    translations = "\n".join(entry_text(e) for e in entries)
    # The code's msgids too: one missing from the catalogue is shown in English for sure.
    sources = [e.msgid for e in entries] + [e.msgid_plural for e in entries if e.msgid_plural]
    sources += [msgid for _context, msgid in python_msgids()]
    found = {}
    for source in sources:
        if source in SAME_AS_ENGLISH[language]:
            continue
        for fragment in _fragments(source):
            pattern = _bounded(fragment)
            if fragment not in found and not pattern.search(translations):
                found[fragment] = pattern
    return found


def english_msgids_in(text: str, language: str) -> set[str]:
    """English fragments of our msgids in the text; a fragment inside a longer one found
    ("Customer" in "Login as Customer") is not listed again."""
    hits = {fragment for fragment, pattern in dictionary(language).items() if pattern.search(text)}
    return {hit for hit in hits if not any(hit != other and hit in other for other in hits)}


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ -][A-Za-z][A-Za-z'’]+)*")


def latin_words_in(text: str, allowed_words: set[str]) -> set[str]:
    """Runs of Latin-script words (Korean and Chinese pages): English nobody translated."""
    runs = set()
    for match in _LATIN_RUN.finditer(text):
        words = [w for w in re.split(r"[ -]", match.group()) if w not in allowed_words]
        if words:
            runs.add(match.group())
    return runs


# Before ":" ";" "!" "?" French puts a no-break space (U+00A0 or the narrow U+202F).
_FRENCH_BREAKABLE = re.compile(
    r"(?<=[^\W\d_]) ?[:;!?](?=\s|$)"
)  # after a letter: "Adresse:", "Langue :"


@cache
def _django_french() -> set[str]:
    """Django's own French (its admin, its forms): outside our catalogues, so not ours to fix
    here ("Changer de thème (actuellement : auto)")."""
    texts = set()
    for mo in Path(django.__file__).parent.glob("**/locale/fr/LC_MESSAGES/*.mo"):
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        for msgstr in catalog.values():
            texts.update(p.strip() for p in _PLACEHOLDER.split(msgstr) if len(p.strip()) > 3)
    return texts


def french_punctuation_in(text: str) -> set[str]:
    for value in sorted(_django_french(), key=len, reverse=True):
        if value in text and re.search(r" [:;!?]", value):
            text = text.replace(value, " \u2400 ")
    found = set()
    for line in text.splitlines():
        for match in _FRENCH_BREAKABLE.finditer(line):
            found.add(line[max(match.start() - 20, 0) : match.end() + 5].strip())
    return found


# Korean writes the period before the hour ("오후 5:40"); Django's DATETIME_FORMAT "g:i A"
# put it after ("5:40 오후").
_KOREAN_PERIOD_AFTER_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})? ?(?:오전|오후)")


def korean_times_in(text: str) -> set[str]:
    return set(_KOREAN_PERIOD_AFTER_TIME.findall(text))
