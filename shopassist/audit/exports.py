"""CSV exports streamed row by row: constant memory at any size.

Every cell is written as text and neutralised against formula injection (OWASP "CSV
Injection"): customers choose their names, staff type reasons, and a spreadsheet that opens the
file would otherwise run a cell such as ``=HYPERLINK(...)`` as a formula.
"""

import csv

from django.http import StreamingHttpResponse

# A spreadsheet reads a cell starting with one of these as a formula (tab and carriage return
# because some programs strip them and then see what follows).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def neutralise_cell(value):
    """The cell as text, with a leading apostrophe when it would start a formula.

    Every column is treated as text: the exports' numbers are ids and counts, never negative,
    so no genuine value is altered. ``None`` stays an empty cell.
    """
    if value is None:
        return None
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def stream_csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """``rows`` is an iterator (e.g. ``queryset.values_list(...).iterator(chunk_size=2000)``)."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([neutralise_cell(name) for name in header])
        for row in rows:
            yield writer.writerow([neutralise_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
