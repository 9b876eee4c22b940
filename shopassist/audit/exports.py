"""CSV exports streamed row by row: constant memory at any size.

Every cell is written as text and neutralised against formula injection (OWASP "CSV
Injection"): customers choose their names, staff type reasons, and a spreadsheet that opens the
file would otherwise run a cell such as ``=HYPERLINK(...)`` as a formula.

A spreadsheet does not always split the file where the writer did: French and German Excel split
a .csv on semicolons, a text import may split on tabs, and a line break inside a cell starts a
row in a reader that loses track of the quotes. The quotes around every cell keep it whole for
a comma reader; for the others, a formula character that follows a semicolon, a tab or a line
break inside a cell is neutralised too (a reader that splits there sees a cell starting with
the apostrophe).
"""

import csv
import re

from django.http import StreamingHttpResponse

# A spreadsheet reads a cell starting with one of these as a formula (tab and carriage return
# because some programs strip them and then see what follows).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Where a reader may start a cell: the cell's start, or after a separator of another locale or
# a line break inside it; quotes between are skipped (a reader opens a quoted cell with them).
# The apostrophe goes right after that place, before the quotes.
_FORMULA_START = re.compile(
    r'(?:^|(?<=[;\t\n\r]))(?="*[' + re.escape("".join(FORMULA_PREFIXES)) + "])"
)


class _Echo:
    def write(self, value):
        return value


def neutralise_cell(value):
    """The cell as text, with an apostrophe wherever a reader could start a formula: at its
    start, and after a semicolon, a tab or a line break inside it.

    Every column is treated as text: the exports' numbers are ids and counts, never negative,
    so no genuine value is altered. ``None`` stays an empty cell.
    """
    if value is None:
        return None
    return _FORMULA_START.sub("'", str(value))


def stream_csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """``rows`` is an iterator (e.g. ``queryset.values_list(...).iterator(chunk_size=2000)``)."""
    # Every cell quoted: a comma or a line break inside one never splits it for a reader of
    # commas (for readers of other separators: neutralise_cell).
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)

    def lines():
        yield writer.writerow([neutralise_cell(name) for name in header])
        for row in rows:
            yield writer.writerow([neutralise_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
