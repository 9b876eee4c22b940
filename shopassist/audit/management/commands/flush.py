"""Django's ``flush``, which on PostgreSQL empties every table with one TRUNCATE — and the
action log refuses TRUNCATE (shopassist/audit/append_only.py). Outside production the
retention gate is opened for the flush's own statements, so the test suite's transactional
tests (which end with a flush) and a developer's reset work; in production the log stays
refused, as on SQLite, where the flush's DELETE meets the row triggers."""

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql" or settings.PRODUCTION:
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('shopassist.audit_retention', 'on', false)")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('shopassist.audit_retention', 'off', false)")
