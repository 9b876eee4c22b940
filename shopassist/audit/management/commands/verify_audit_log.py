from django.core.management.base import BaseCommand, CommandError

from shopassist.audit.verify import verify_chains


class Command(BaseCommand):
    help = "Verify the action log's hash chains; exit non-zero at the first broken link."

    def handle(self, *args, **options):
        broken = verify_chains()
        if broken is not None:
            entry = f" (entry id {broken.entry_id})" if broken.entry_id is not None else ""
            raise CommandError(
                f"Broken link in chain {broken.chain} at seq {broken.seq}{entry}: {broken.problem}"
            )
        self.stdout.write(self.style.SUCCESS("Action log intact: every hash chain verified."))
