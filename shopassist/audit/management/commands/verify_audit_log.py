import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shopassist.audit.published_heads import HeadError, check_against
from shopassist.audit.verify import verify_chains


class Command(BaseCommand):
    help = (
        "Verify the action log's hash chains; exit non-zero at the first broken link. "
        "--against FILE also checks chain heads published with audit_chain_head."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--against",
            metavar="FILE",
            help="chain heads printed by audit_chain_head (signed with AUDIT_HEAD_SIGNING_KEY)",
        )

    def handle(self, *args, against=None, **options):
        published = None
        if against:
            try:
                published = json.loads(Path(against).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the published chain heads: {exc}") from exc
        broken = verify_chains()
        if broken is not None:
            entry = f" (entry id {broken.entry_id})" if broken.entry_id is not None else ""
            raise CommandError(
                f"Broken link in chain {broken.chain} at seq {broken.seq}{entry}: {broken.problem}"
            )
        self.stdout.write(self.style.SUCCESS("Action log intact: every hash chain verified."))
        if published is None:
            return
        try:
            result = check_against(published)
        except HeadError as exc:
            raise CommandError(str(exc)) from exc
        pruned = f"; {result.pruned} removed by the retention since" if result.pruned else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Published heads matched: {result.checked} links as published{pruned}."
            )
        )
