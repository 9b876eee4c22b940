import json

from django.core.management.base import BaseCommand, CommandError

from shopassist.audit.published_heads import HeadError, signed_heads


class Command(BaseCommand):
    help = (
        "Print the action log's chain heads as one JSON object signed with "
        "AUDIT_HEAD_SIGNING_KEY, to be published outside the database "
        "(check later with verify_audit_log --against FILE)."
    )

    def handle(self, *args, **options):
        try:
            heads = signed_heads()
        except HeadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(heads, sort_keys=True))
