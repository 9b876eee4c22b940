"""Queue an e-mail: the one way ShopAssist sends mail (`delivery` sends it)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from shopassist.core.transactions import real_transaction_open
from shopassist.outbox import delivery
from shopassist.outbox.models import OutgoingMail


def queue_mail(
    *, to: str, subject: str, body: str, contains_secret: bool = False, expires_at=None
) -> OutgoingMail:
    """Write one mail to the outbox in the caller's transaction.

    It is sent once that transaction commits — after the response when queued during a
    request, so the answer never waits for the mail server nor depends on it; at once
    otherwise (a command, a shell). A rolled-back change sends nothing. A failed attempt is
    logged and retried by ``manage.py send_mail_queue``. ``contains_secret``: the body (e.g. a
    password reset link) is erased once the mail is sent or given up; ``expires_at``: not sent
    after that time (the link no longer works).
    """
    mail = OutgoingMail.objects.create(
        to=to,
        subject=subject,
        body=body,
        contains_secret=contains_secret,
        expires_at=expires_at,
        next_attempt_at=timezone.now(),
    )
    if real_transaction_open():
        transaction.on_commit(partial(delivery.deliver_after_commit, mail.pk))
    else:  # autocommit: the row is committed already
        delivery.deliver_after_commit(mail.pk)
    return mail
