"""The action log: append-only (database triggers), hash-chained (tamper evidence).

Entries keep names and e-mails as they were and no foreign keys, so they survive the deletion
of the people they name and never need an UPDATE.
"""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

CHAINS = 16  # independent hash chains: writers on different chains never wait for each other


class ActionGroup(models.TextChoices):
    LOGIN_AS_CUSTOMER = "login_as_customer", _("Login As Customer")
    ADMIN = "admin", _("Admin Changes")
    SYSTEM = "system", _("System")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Action log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Action log entries cannot be deleted (see retention.prune).")

    _raw_delete = delete


class ActionLogEntry(models.Model):
    chain = models.PositiveSmallIntegerField()
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("time"), db_index=True)
    action_group = models.CharField(_("action group"), max_length=32, choices=ActionGroup.choices)
    action = models.CharField(_("action"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    admin_id = models.IntegerField(_("admin ID"), null=True, blank=True)
    admin_username = models.CharField(_("admin"), max_length=150, blank=True)
    customer_id = models.IntegerField(_("customer ID"), null=True, blank=True)
    customer_email = models.CharField(_("customer e-mail"), max_length=254, blank=True)
    store_view_code = models.CharField(_("store view"), max_length=32, blank=True)
    assisted_session_id = models.BigIntegerField(_("assisted session"), null=True, blank=True)
    target_type = models.CharField(_("target"), max_length=64, blank=True)
    target_id = models.CharField(_("target ID"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=512, blank=True)
    # SHA-256 of the session key the request was made with (never the key itself).
    session_hash = models.CharField(_("session"), max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        # Lists are newest first by id (keyset paging); each filter has an index ending in id.
        indexes = [
            models.Index(fields=["action_group", "-id"], name="audit_group_id"),
            models.Index(fields=["action", "-id"], name="audit_action_id"),
            models.Index(fields=["admin_username", "-id"], name="audit_admin_id"),
            models.Index(fields=["customer_email", "-id"], name="audit_customer_id"),
            models.Index(fields=["assisted_session_id", "id"], name="audit_session_entries"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action_group}/{self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError(_("Action log entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Action log entries cannot be deleted."))

    @property
    def details_json(self) -> str:
        return json.dumps(self.details, sort_keys=True, ensure_ascii=False)


class ChainHead(models.Model):
    """The last link of each hash chain; its row lock orders the writers of one chain."""

    chain = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # The time of the last entry: the next one is never earlier (time and seq orders agree).
    last_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"chain {self.chain} at {self.seq}"


class AppendOnlyError(Exception):
    pass
