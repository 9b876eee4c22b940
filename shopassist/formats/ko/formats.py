"""Korean dates and times as Korean readers write them: "2026. 12. 1." and "오후 5:40" (the
period before the hour, never after it as Django's DATETIME_FORMAT "g:i A" puts it)."""

DATETIME_FORMAT = "Y년 n월 j일 A g:i"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. A g:i"
