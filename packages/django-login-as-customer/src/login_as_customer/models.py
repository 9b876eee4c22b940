"""Consent, assisted sessions and their one-time login tokens."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from login_as_customer.swappable import customer_model_label, store_view_model_label

CUSTOMER_MODEL = customer_model_label()
STORE_VIEW_MODEL = store_view_model_label()


class AssistanceConsent(models.Model):
    """A customer's "Allow remote shopping assistance" flag, optionally time-limited."""

    customer = models.OneToOneField(
        CUSTOMER_MODEL, on_delete=models.CASCADE, related_name="assistance_consent"
    )
    allowed = models.BooleanField(_("Allow remote shopping assistance"), default=False)
    granted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Set when staff gave (or changed) the consent in the admin panel; empty when the customer
    # decided themselves. Shown to the customer and in the admin customer form.
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_by_username = models.CharField(_("set by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remote shopping assistance consent")

    def __str__(self):
        return f"consent of customer {self.customer_id}: {self.allowed}"

    def is_valid(self, now=None) -> bool:
        from login_as_customer.flows.consent import consent_valid

        return consent_valid(self.allowed, self.expires_at, now or timezone.now())


class EndReason(models.TextChoices):
    CLOSED_BY_ADMIN = "closed_by_admin", _("Closed by the administrator")
    MAX_DURATION = "max_duration", _("Maximum duration reached")
    IDLE_TIMEOUT = "idle_timeout", _("Idle timeout")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked or expired")
    FEATURE_DISABLED = "feature_disabled", _("Login as Customer disabled")
    ADMIN_LOGGED_OUT = "admin_logged_out", _("Administrator logged out")
    ADMIN_DEACTIVATED = "admin_deactivated", _("Administrator deactivated")
    PERMISSION_REVOKED = "permission_revoked", _("Permission revoked")
    CUSTOMER_DEACTIVATED = "customer_deactivated", _("Customer account deactivated")
    CUSTOMER_DELETED = "customer_deleted", _("Customer account deleted")
    TERMINATED = "terminated", _("Terminated by an administrator")
    NEVER_REDEEMED = "never_redeemed", _("Login link never used")
    ADMIN_PASSWORD_CHANGED = "admin_password_changed", _("Administrator password changed")
    CUSTOMER_PASSWORD_CHANGED = "customer_password_changed", _("Customer password changed")
    REPLACED = "replaced", _("Replaced by another assisted session in the same browser")
    CUSTOMER_IS_STAFF = "customer_is_staff", _("Customer account given staff access")
    STORE_VIEW_UNAVAILABLE = (
        "store_view_unavailable",
        _("Store view no longer available to the customer"),
    )


class SessionMode(models.TextChoices):
    """What the administrator may do in the session: look only, or act for the customer."""

    FULL = "full", _("Full access")
    VIEW_ONLY = "view_only", _("View only")


class ConsentBasis(models.TextChoices):
    """What a session's consent was: the customer's standing opt-in, or an assistance code they
    gave for that one session."""

    STANDING = "standing", _("Standing opt-in")
    CODE = "code", _("Assistance code")


class AssistedSession(models.Model):
    """One assisted session: who, for whom, where, why, when — with names as they were."""

    admin = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    admin_username = models.CharField(_("admin username"), max_length=150)
    customer = models.ForeignKey(
        CUSTOMER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer_email = models.EmailField(_("customer e-mail"))
    customer_name = models.CharField(_("customer name"), max_length=301)
    store_view = models.ForeignKey(
        STORE_VIEW_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    store_view_code = models.CharField(_("store view"), max_length=32)
    website_name = models.CharField(_("website"), max_length=255)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    mode = models.CharField(
        _("mode"), max_length=16, choices=SessionMode.choices, default=SessionMode.FULL
    )
    consent_basis = models.CharField(
        _("consent"), max_length=16, choices=ConsentBasis.choices, default=ConsentBasis.STANDING
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=32, choices=EndReason.choices, blank=True
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # The session's entries in the journal once it has ended (its end's own included): the
    # dashboard's actions per session without counting the journal. None while it runs.
    action_count = models.PositiveIntegerField(_("actions"), null=True, blank=True)
    # The idle clock: the last request of the session (web or API), written at most every
    # live_check.LAST_SEEN_GRANULARITY seconds, so that the sweep can end an idle session
    # without waiting for a request.
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=512, blank=True)
    # Hash of the admin-panel session that started it: logging out of it ends this session.
    admin_session_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assisted session")
        verbose_name_plural = _("assisted sessions")
        # permissions.py: what the default host asks of Django's permissions.
        permissions = [
            ("login_as_customer", "Allow Login as Customer"),
            ("login_as_customer_view_only", "Login as Customer (view only)"),
            ("view_login_as_customer_log", "View Login as Customer Log"),
            ("manage_assisted_sessions", "Manage active sessions"),
            ("change_assistance_consent", "Remote shopping assistance opt-in"),
            ("configure_login_as_customer", "Login as Customer Section"),
        ]
        # The log lists newest first by id; each filter has an index ending in id.
        indexes = [
            models.Index(
                fields=["customer"],
                condition=models.Q(ended_at__isnull=True),
                name="lac_live_by_customer",
            ),
            models.Index(fields=["admin_username", "-id"], name="lac_admin_id"),
            models.Index(fields=["customer_email", "-id"], name="lac_customer_id"),
            models.Index(fields=["store_view_code", "-id"], name="lac_store_view_id"),
            models.Index(fields=["end_reason", "-id"], name="lac_end_reason_id"),
            # Ended sessions whose action count was not kept (``overdue.keep_missing_counts``):
            # none, but for an end whose commit hook failed.
            models.Index(
                fields=["ended_at"],
                condition=models.Q(ended_at__isnull=False, action_count__isnull=True),
                name="lac_count_not_kept",
            ),
        ]

    def __str__(self):
        return f"assisted session {self.pk} ({self.admin_username} → {self.customer_email})"

    @property
    def is_live(self) -> bool:
        return self.started_at is not None and self.ended_at is None


class AssistanceCode(models.Model):
    """A 6-digit code a customer gets in My Account and reads out to the administrator: consent
    for one session. Only its keyed hash is kept; it lives 10 minutes, is used once, and five
    wrong codes void it (``flows/assistance_code.py``)."""

    customer = models.ForeignKey(CUSTOMER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    assisted_session = models.ForeignKey(
        AssistedSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assistance code")
        indexes = [
            models.Index(
                fields=["customer"],
                condition=models.Q(used_at__isnull=True, voided_at__isnull=True),
                name="lac_open_code_by_customer",
            )
        ]

    def __str__(self):
        return f"assistance code {self.pk} of customer {self.customer_id}"


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class AssistedAction(models.Model):
    """One event of the default journal (``journal.OwnJournal``): a start, a refusal, an action
    in an assisted session, an ending — with names as they were. A host with a log of its own
    (ShopAssist: the action log) writes there instead and leaves this table empty."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    assisted_session = models.ForeignKey(
        AssistedSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("assisted session"),
    )
    admin_id = models.PositiveBigIntegerField(null=True, blank=True)
    admin_username = models.CharField(_("admin username"), max_length=150, blank=True)
    customer_id = models.PositiveBigIntegerField(null=True, blank=True)
    customer_email = models.EmailField(_("customer e-mail"), blank=True)
    store_view_code = models.CharField(_("store view"), max_length=32, blank=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("assisted session action")
        verbose_name_plural = _("assisted session actions")
        indexes = [models.Index(fields=["assisted_session", "id"], name="lac_action_session_id")]

    def __str__(self):
        return f"{self.action} ({self.outcome})"

    @property
    def details_json(self) -> str:
        return json.dumps(self.details, sort_keys=True, ensure_ascii=False)


class LoginToken(models.Model):
    """A one-time login token: only its SHA-256 hash is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    assisted_session = models.OneToOneField(
        AssistedSession, on_delete=models.CASCADE, related_name="token"
    )
    admin = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(CUSTOMER_MODEL, on_delete=models.CASCADE, related_name="+")
    store_view = models.ForeignKey(STORE_VIEW_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the browser-binding cookie set by the start response (empty for API starts).
    binding_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("login token")

    def __str__(self):
        return f"login token {self.pk}"


class AssistanceNotice(models.Model):
    """How far a customer has been told of the assisted sessions on their account: sessions
    ended after ``told_until`` are told at the customer's next own sign-in (``flows/notice``)."""

    customer = models.OneToOneField(
        CUSTOMER_MODEL, on_delete=models.CASCADE, related_name="assistance_notice"
    )
    told_until = models.DateTimeField()

    class Meta:
        verbose_name = _("assisted session notice")

    def __str__(self):
        return f"customer {self.customer_id} told until {self.told_until}"


class DashboardDay(models.Model):
    """The dashboard's figures of one settled day, as a time zone cuts it, for every website
    (``admin_ui/dashboard/days.py``): a day that is over and whose sessions have all ended and
    kept their count of actions no longer changes, so it is aggregated once. Derived data:
    emptying the table at any time only makes the next dashboard compute it again."""

    time_zone = models.CharField(max_length=64)
    day = models.DateField()
    # The shape of ``websites`` and ``durations``: a row of another version is recomputed.
    version = models.PositiveSmallIntegerField()
    # [{"website", "counts", "groups", "actions", "durations"}]: see days.py.
    websites = models.JSONField(default=list)
    # The completed sessions' durations in seconds (float64, little-endian), website after
    # website in the order of ``websites``, each website's sorted.
    durations = models.BinaryField(default=bytes)

    class Meta:
        verbose_name = _("dashboard day")
        constraints = [
            models.UniqueConstraint(fields=["time_zone", "day"], name="lac_dashboard_day")
        ]

    def __str__(self):
        return f"dashboard day {self.day} ({self.time_zone})"
