"""``{% load login_as_customer %}{% login_as_customer_button customer %}``: the Login as Customer
button and its confirmation dialog on any admin or dashboard page of a customer — nothing when
the feature is off or the administrator may not use it; ``{% login_as_customer_consent %}``: the
signed-in customer's "Allow remote shopping assistance" form for any account page;
``lac_store_view_name``; ``lac_when``, a time as a customer reads it; and ``lac_isolated``,
stored free text in an isolate of its own."""

from django import template
from django.template.loader import render_to_string
from django.utils import formats, timezone

from login_as_customer import action_labels, bidi, selectors
from login_as_customer.admin_ui import buttons
from login_as_customer.forms import ConsentForm
from login_as_customer.host import host

register = template.Library()


@register.simple_tag(takes_context=True)
def login_as_customer_button(context, customer, css_class=""):
    """``{% login_as_customer_button customer "btn btn-primary" %}``: with the classes of the
    page's own buttons, if given."""
    request = context["request"]
    if customer is None:
        return ""
    # A template's output, already a safe string: every value in it was escaped there.
    return buttons.login_as_customer_button(request, customer, css_class) or ""


@register.simple_tag(takes_context=True)
def login_as_customer_consent(context):
    """The form, saved by ``login_as_customer:consent``, back to this page; nothing for a
    visitor who is not signed in. Disabled in an assisted session: only the customer decides."""
    request = context["request"]
    customer = host().signed_in_customer(request)
    if customer is None:
        return ""
    form = ConsentForm(
        store_view=host().current_store_view(request),
        consent=selectors.consent_of(customer),
        locked=getattr(request, "assisted_session", None) is not None,
    )
    return render_to_string(
        "login_as_customer/consent_form.html",
        {"form": form, "next": request.get_full_path()},
        request=request,
    )


@register.filter
def lac_action_label(action):
    """A journal action's readable name (``action_labels``), or its code."""
    return action_labels.label_of(action)


@register.filter
def lac_store_view_name(code):
    """``{{ session.store_view_code|lac_store_view_name }}``: the name a person knows the store
    view by; the code itself when no store view has it any more (records keep codes)."""
    if not code:
        return ""
    return host().store_view_names().get(code, code)


@register.filter
def lac_isolated(text, when="always"):
    """``{{ session.reason|lac_isolated }}``: free text someone else wrote (a reason, a
    customer's name or e-mail address, an entry's details) in a ``<bdi>`` of its own, so that
    direction controls in it cannot reorder the cells or the sentence around it
    (``bidi.contained``). ``|lac_isolated:"when_needed"``, for a name inside a sentence: only
    text holding a direction control; any other as it is (escaped by the template)."""
    if when == "when_needed" and not bidi.direction_controls_in(str(text or "")):
        return text
    return bidi.isolated_html(text)


@register.filter
def lac_when(value, part="datetime"):
    """``{{ when|lac_when }}`` (or ``|lac_when:"time"``): the date and time, or the time, in
    the page's language, followed by its time zone — "Dec. 8, 2026, 10:48 a.m. (UTC)": a
    customer reads it wherever they are, and the shop's clock may not be theirs."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if part == "time":
        shown = formats.time_format(local, "TIME_FORMAT")
    else:
        shown = formats.date_format(local, "DATETIME_FORMAT")
    return f"{shown} ({local.tzname()})"
