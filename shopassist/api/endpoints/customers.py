"""The signed-in customer's account, with the remote shopping assistance permission."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Router

from login_as_customer.flows.assistance_code import issue_code
from login_as_customer.flows.consent import set_consent
from login_as_customer.selectors import consent_is_valid
from shopassist.api.auth import CustomerToken
from shopassist.api.endpoints import AUTH_ERRORS
from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.recording import recorded_write
from shopassist.api.schemas import AssistanceCodeOut, CustomerOut, CustomerPatch, Error
from shopassist.customers.services import update_account_information

# The code of the account service's refusal of a credentials change made on the customer's
# behalf (``customers.services.update_account_information``).
ACTING_ON_BEHALF = "acting_on_behalf"

router = Router(tags=["customers"], auth=CustomerToken())


def _customer_out(customer) -> dict:
    return {
        "id": customer.pk,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "website": customer.website.code,
        "allow_remote_shopping_assistance": consent_is_valid(customer),
    }


@router.get("/me", response={200: CustomerOut, **AUTH_ERRORS})
def me(request):
    return _customer_out(request.auth.customer)


@router.patch("/me", response={200: CustomerOut, 400: Error, **AUTH_ERRORS})
def update_me(request, body: CustomerPatch):
    """Change the name, or grant/revoke remote shopping assistance (the customer's own token
    only: with an assisted token the permission change is refused and logged). The API changes
    no e-mail address or password (it has no current-password check, nor its lockout): with an
    assisted token the account service refuses the attempt and logs it, as on the storefront."""
    caller = request.auth
    customer = caller.customer
    wants_credentials = body.email is not None or body.password is not None
    # Every PATCH of an assisted token is recorded, also one that changes nothing.
    with recorded_write(request, operation="customers.update_me"):
        if wants_credentials and caller.assisted_session is None:
            raise ApiError(
                403,
                ApiErrorCode.FORBIDDEN,
                _("The e-mail address and password cannot be changed through the API."),
            )
        if body.allow_remote_shopping_assistance is not None:
            set_consent(
                customer=customer,
                allowed=body.allow_remote_shopping_assistance,
                duration=body.consent_duration,
                actor=caller.actor,
            )
        if wants_credentials or body.first_name is not None or body.last_name is not None:
            _update_account(caller, body)
    return _customer_out(customer)


def _update_account(caller, body: CustomerPatch) -> None:
    customer = caller.customer
    try:
        update_account_information(
            customer=customer,
            actor=caller.actor,
            first_name=body.first_name if body.first_name is not None else customer.first_name,
            last_name=body.last_name if body.last_name is not None else customer.last_name,
            email=body.email if body.email is not None else customer.email,
            new_password=body.password or "",
        )
    except DjangoValidationError as error:
        if getattr(error, "code", None) == ACTING_ON_BEHALF:  # logged as "account.blocked"
            raise ApiError(
                403, ApiErrorCode.CREDENTIALS_CHANGE_BLOCKED, " ".join(error.messages)
            ) from None
        raise


@router.post(
    "/me/assistance-code", response={200: AssistanceCodeOut, 400: Error, 409: Error, **AUTH_ERRORS}
)
def create_assistance_code(request):
    """Get an assistance code: 6 digits the customer reads out to the store's support, valid
    10 minutes for one assisted session (when the store's *Customer consent* takes codes: else
    409). The customer's own token only: refused and logged with an assisted token."""
    caller = request.auth
    with recorded_write(request, operation="customers.assistance_code"):
        issued = issue_code(
            customer=caller.customer, actor=caller.actor, store_view=caller.store_view
        )
    return {"code": issued.code, "expires_at": issued.expires_at}
