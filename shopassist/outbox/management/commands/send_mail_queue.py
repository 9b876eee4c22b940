"""Send the mail that is due (first attempts that failed, retries): run it every minute."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from shopassist.outbox.delivery import deliver_due
from shopassist.outbox.models import OutgoingMail


class Command(BaseCommand):
    help = "Send due outgoing mail (retries with backoff) and delete old sent or given-up mail."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-days",
            type=int,
            default=30,
            help="Delete mail sent or given up more than this many days ago (default 30).",
        )

    def handle(self, *args, keep_days, **options):
        counts = deliver_due()
        cutoff = timezone.now() - timedelta(days=keep_days)
        deleted, _ = OutgoingMail.objects.filter(
            Q(sent_at__lt=cutoff) | Q(gave_up_at__lt=cutoff)
        ).delete()
        waiting = OutgoingMail.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True)
        self.stdout.write(
            f"due {counts['due']}, sent {counts['sent']}, not sent {counts['not_sent']}, "
            f"waiting {waiting.count()}, deleted {deleted}"
        )
