"""The signed-in customer's account, with the remote shopping assistance permission."""

from ninja import Router

from login_as_customer.flows.assistance_code import issue_code
from login_as_customer.flows.consent import set_consent
from login_as_customer.selectors import consent_is_valid
from shopassist.api.auth import CustomerToken
from shopassist.api.endpoints import AUTH_ERRORS
from shopassist.api.recording import recorded_write
from shopassist.api.schemas import AssistanceCodeOut, CustomerOut, CustomerPatch, Error
from shopassist.customers.services import update_account_information

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
    only: with an assisted token the permission change is refused and logged)."""
    caller = request.auth
    customer = caller.customer
    if (
        body.first_name is None
        and body.last_name is None
        and (body.allow_remote_shopping_assistance is None)
    ):
        return _customer_out(customer)  # an empty PATCH changes nothing
    with recorded_write(request, operation="customers.update_me"):
        if body.allow_remote_shopping_assistance is not None:
            set_consent(
                customer=customer,
                allowed=body.allow_remote_shopping_assistance,
                duration=body.consent_duration,
                actor=caller.actor,
            )
        if body.first_name is not None or body.last_name is not None:
            update_account_information(
                customer=customer,
                actor=caller.actor,
                first_name=body.first_name if body.first_name is not None else customer.first_name,
                last_name=body.last_name if body.last_name is not None else customer.last_name,
                email=customer.email,
            )
    return _customer_out(customer)


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
