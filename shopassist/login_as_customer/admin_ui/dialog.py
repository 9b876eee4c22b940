"""What the confirmation dialog (and its no-JavaScript page) shows."""

from django.utils import timezone

from shopassist.core.config import config
from shopassist.login_as_customer import config as lac_config
from shopassist.login_as_customer import selectors, services, step_up
from shopassist.login_as_customer.decisions import can_login_as
from shopassist.login_as_customer.errors import DenialCode, message_for


def dialog_context(request, customer) -> dict:
    manual = config.get(lac_config.STORE_VIEW_LOGIN) == lac_config.MANUAL_SELECTION
    preselected = selectors.auto_store_view(customer)
    decision = can_login_as(
        services.start_facts(
            staff=request.user, customer=customer, store_view=preselected, reason="-"
        ),
        now=timezone.now(),
    )
    # Only consent problems open the notice; other refusals are explained by the server
    # when the administrator confirms (and are absent buttons in most cases).
    notice = None
    if decision.code in (DenialCode.CONSENT_MISSING, DenialCode.CONSENT_EXPIRED):
        notice = message_for(decision.code)
    return {
        "customer": customer,
        "notice": notice,
        "manual_selection": manual,
        "store_view_groups": selectors.store_view_choices(customer) if manual else [],
        "preselected_id": preselected.pk if preselected else None,
        "require_reason": config.get(lac_config.REQUIRE_REASON),
        # Step-up: the password field shows when the last password entry is too old.
        "reauth_required": not step_up.password_is_recent(request.session),
    }
