"""What a row of the audit list pages shows, worked out once per page instead of once per cell.

The Login as Customer Log and the Action Log Report list 50 rows of up to 11 cells. Rendered
cell by cell through the template engine — a ``get_FOO_display`` that hashes every lazy
choice label, a ``|date`` that looks up the language's formats, a ``{% url %}`` and a
``|store_view_name`` per row — that came to about two thirds of the page's time. The views
now read the listed columns only (``values()``), translate the choice labels once per page and
hand the template rows of plain values.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.utils import timezone


def choice_labels(choices) -> dict[str, str]:
    """``{value: label}`` of a model's choices, translated once into the active language."""
    return {value: str(label) for value, label in choices}


def timestamp(moment: datetime | None) -> str:
    """The list pages' locale-free, sortable "Y-m-d H:i:s" (that of the CSV exports), in the
    current time zone; "" for no time."""
    if moment is None:
        return ""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


def details_json(details) -> str:
    """An entry's details as shown and exported: JSON, keys sorted, non-ASCII as it is."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False)
