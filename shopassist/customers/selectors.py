from shopassist.customers.config import accounts_shared_globally
from shopassist.customers.models import Customer


def customers_for_website(website_id: int):
    """Customers who can sign in on a website (all of them under global sharing)."""
    queryset = Customer.objects.all()
    return queryset if accounts_shared_globally() else queryset.filter(website_id=website_id)


def find_customer_by_email(*, email: str, website_id: int) -> Customer | None:
    return customers_for_website(website_id).filter(email=email.strip().lower()).first()
