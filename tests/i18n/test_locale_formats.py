"""Dates and times as each language writes them (settings.FORMAT_MODULE_PATH)."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import formats, translation

from tests.i18n.catalogues import ROOT

AN_AFTERNOON = datetime(2026, 12, 1, 17, 40)


@pytest.mark.parametrize(
    ("language", "name", "shown"),
    [
        ("ko", "DATETIME_FORMAT", "2026년 12월 1일 오후 5:40"),
        ("ko", "SHORT_DATE_FORMAT", "2026. 12. 1."),
        ("ko", "SHORT_DATETIME_FORMAT", "2026. 12. 1. 오후 5:40"),
        ("ko", "DATE_FORMAT", "2026년 12월 1일"),
        ("ko", "TIME_FORMAT", "오후 5:40"),
        ("fr", "DATETIME_FORMAT", "1 décembre 2026 17:40"),
        ("fr", "SHORT_DATE_FORMAT", "01/12/2026"),
        ("zh-hant", "DATETIME_FORMAT", "2026年12月1日 17:40"),
        ("zh-hant", "SHORT_DATE_FORMAT", "2026年12月1日"),
        ("en", "SHORT_DATE_FORMAT", "12/01/2026"),
    ],
)
def test_dates_and_times_read_as_the_language_writes_them(language, name, shown):
    with translation.override(language):
        assert formats.date_format(AN_AFTERNOON, name) == shown


# The log pages show sortable, locale-free timestamps (as their CSV exports do).
_LOG_TIMESTAMP = "Y-m-d H:i:s"
_DATE_FILTER = re.compile(r"\|(?:date|time):(\"[^\"]*\"|'[^']*'|\w+)")


def test_templates_format_dates_with_the_languages_own_formats():
    """A |date filter with an explicit format ("j/n/Y") bypasses the locale's formats: every
    template names one (DATETIME_FORMAT, SHORT_DATE_FORMAT...) or the log timestamp."""
    explicit = {}
    for template in sorted((ROOT / "shopassist").glob("**/templates/**/*.*")):
        for argument in _DATE_FILTER.findall(template.read_text()):
            value = argument.strip("\"'")
            if not value.endswith("_FORMAT") and value != _LOG_TIMESTAMP:
                explicit.setdefault(str(Path(template).relative_to(ROOT)), []).append(value)
    assert explicit == {}
