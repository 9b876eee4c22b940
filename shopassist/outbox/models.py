"""Mail waiting to be sent, or sent: one row per message (the transactional outbox).

No page shows these rows (operators read the log and the table, docs/deploy.md), so their
names are not translated."""

from django.db import models


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now):
        """Not yet sent, not given up, and its next attempt is now or past."""
        return self.filter(sent_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now)


class OutgoingMail(models.Model):
    """One e-mail to one recipient, written in the transaction of the change it reports
    (a rolled-back change leaves no mail) and sent after that transaction commits
    (`delivery.deliver`), retried with backoff until sent or given up."""

    to = models.EmailField(max_length=254)
    subject = models.TextField()
    # Erased once sent or given up when it carries a secret (a password reset link).
    body = models.TextField(blank=True)
    contains_secret = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not sent after this (the link it carries no longer works); null = no limit.
    expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "outgoing mail"
        verbose_name_plural = "outgoing mail"

    def __str__(self):
        return f"mail {self.pk}"
