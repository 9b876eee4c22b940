"""Unicode's invisible direction controls in free text (Trojan Source): found, to refuse them
where text is typed (a session's reason), and contained, where text stored before or written by
someone else (a customer's name and e-mail address) is shown.

A control in a reason could make the log read otherwise than it was written: an RLO reverses
what follows it — the rest of the cell, of a sentence, of a row laid out as one line. Putting
the text in an isolate (``<bdi>``, or FSI … PDI in plain text) is not enough on its own: a PDI
in the text closes the isolate early, an isolate the text leaves open swallows the isolate's
end, and a paragraph separator ends every isolate (all three seen in Chromium). ``contained``
gives the text what its isolate needs to hold it.
"""

from __future__ import annotations

import re

from django.utils.html import format_html
from django.utils.safestring import SafeString

EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
ISOLATES = "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
MARKS = "\u200e\u200f\u061c"  # LRM, RLM, ALM
# Paragraph separators end every embedding and isolate, as a new paragraph does. (A line feed
# or carriage return is white space in HTML, drawn as a space.)
PARAGRAPH_SEPARATORS = "\u2029\u0085\u001c\u001d\u001e"
DIRECTION_CONTROLS = EMBEDDINGS + ISOLATES + MARKS + PARAGRAPH_SEPARATORS

_INITIATORS = frozenset("\u2066\u2067\u2068")
_FSI, _PDI = "\u2068", "\u2069"
_CONTROL = re.compile(f"[{DIRECTION_CONTROLS}]")
_SEPARATOR = re.compile(f"[{PARAGRAPH_SEPARATORS}]")


def direction_controls_in(text: str) -> list[str]:
    """The direction controls ``text`` holds, each once, in the order they come, as people
    name them ("U+202E"): what a refusal tells (never the text itself)."""
    found = dict.fromkeys(_CONTROL.findall(text or ""))
    return [f"U+{ord(char):04X}" for char in found]


def without_direction_controls(text: str) -> str:
    """``text`` as it reads, without its controls (offered to check and send again)."""
    return _CONTROL.sub("", text or "")


def contained(text: str) -> str:
    """``text``, which shown inside an isolate cannot reach past it: a PDI with no isolate of
    the text's own before it gets one (an FSI at the start), an isolate left open is closed at
    the end, and a paragraph separator becomes a space. What it reads is unchanged; text
    without controls (almost all) is returned as it is."""
    if not text or not _CONTROL.search(text):
        return text
    text = _SEPARATOR.sub(" ", text)
    open_isolates = unmatched_closings = 0
    for char in text:
        if char in _INITIATORS:
            open_isolates += 1
        elif char == _PDI:
            if open_isolates:
                open_isolates -= 1
            else:
                unmatched_closings += 1
    return _FSI * unmatched_closings + text + _PDI * open_isolates


def isolated_text(text: str) -> str:
    """Plain text (a message) holding stored text: the text between FSI and PDI when it holds
    a direction control, so that the sentence around it reads in order; as it is otherwise."""
    if not text or not _CONTROL.search(text):
        return text
    return _FSI + contained(text) + _PDI


def isolated_html(text) -> SafeString:
    """``<bdi>`` holding the escaped, contained text: its direction is its own (``dir=auto``)
    and its controls end with it. Nothing for no text."""
    if text is None or text == "":
        return SafeString("")
    return format_html("<bdi>{}</bdi>", contained(str(text)))
