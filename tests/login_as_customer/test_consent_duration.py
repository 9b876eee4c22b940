"""A permission with an end date, saved again: the duration list offers and preselects "keep
the current end date", so saving a page unchanged neither lengthens the permission to "until I
revoke it" nor restarts it; choosing "until I revoke it" does take the end date away — on
ShopAssist's Account Information and through the package's consent form alike."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from login_as_customer.flows.consent import set_consent
from login_as_customer.models import AssistanceConsent
from shopassist.core.actor import Actor
from tests.conftest import login_customer_client

pytestmark = pytest.mark.django_db

ACCOUNT_EDIT = "/en/customer/account/edit/"
CONSENT_FORM = "/en/customer/assistance-consent/"
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def one_day(jane):
    """Jane allowed assistance for one day, an hour ago."""
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        set_consent(customer=jane, allowed=True, duration="1", actor=Actor(customer=jane))
    return AssistanceConsent.objects.get(customer=jane).expires_at


def _account_form(jane, **consent):
    return {"first_name": "Jane", "last_name": "Doe", "email": jane.email, **consent}


def _consent(jane):
    return AssistanceConsent.objects.filter(customer=jane).values("allowed", "expires_at").get()


def test_the_page_preselects_keeping_the_end_date(jane, one_day):
    own = login_customer_client(Client(), jane)

    with time_machine.travel(NOW, tick=False):
        page = own.get(ACCOUNT_EDIT).content.decode()

    selected = re.search(r'<option value="([^"]*)" selected>([^<]*)</option>', page)
    assert selected.groups() == ("keep", "keep the current end date")
    # With its time zone, and one full stop after "a.m." (not "a.m..").
    end = timezone.localtime(one_day)
    assert f"Your permission ends on {date_format(end, 'DATETIME_FORMAT')} (UTC)." in page


@pytest.mark.parametrize(
    ("url", "extra"),
    [(ACCOUNT_EDIT, None), (CONSENT_FORM, {})],
    ids=["account information", "consent form"],
)
def test_saving_unchanged_keeps_the_end_date(url, extra, jane, one_day):
    own = login_customer_client(Client(), jane)
    consent = {"assistance-allow": "on", "assistance-duration": "keep"}
    data = _account_form(jane, **consent) if extra is None else consent

    with time_machine.travel(NOW, tick=False):
        response = own.post(url, data)

    assert response.status_code == 302
    assert _consent(jane) == {"allowed": True, "expires_at": one_day}


@pytest.mark.parametrize("url", [ACCOUNT_EDIT, CONSENT_FORM])
def test_until_i_revoke_it_takes_the_end_date_away(url, jane, one_day):
    own = login_customer_client(Client(), jane)
    consent = {"assistance-allow": "on", "assistance-duration": ""}
    data = _account_form(jane, **consent) if url == ACCOUNT_EDIT else consent

    with time_machine.travel(NOW, tick=False):
        response = own.post(url, data)

    assert response.status_code == 302
    assert _consent(jane) == {"allowed": True, "expires_at": None}


def test_keep_is_refused_when_there_is_no_end_date_to_keep(jane):
    set_consent(customer=jane, allowed=True, duration="", actor=Actor(customer=jane))
    own = login_customer_client(Client(), jane)
    before = _consent(jane)

    response = own.post(
        ACCOUNT_EDIT,
        _account_form(jane, **{"assistance-allow": "on", "assistance-duration": "keep"}),
    )

    assert response.status_code == 200  # the form again, with its error
    assert 'name="assistance-duration"' in response.content.decode()
    assert _consent(jane) == before
