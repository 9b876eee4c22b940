"""One client address for every throttle, lockout and audit entry, from the configured number of
trusted proxies (SHOPASSIST_TRUSTED_PROXIES); forged X-Forwarded-For values are never read."""

import pytest
from django.test import Client, RequestFactory

from shopassist.audit.models import ActionLogEntry
from shopassist.core import actor, client_address
from shopassist.core.client_address import client_ip, client_network
from tests.api.conftest import ApiClient
from tests.conftest import login_admin_client, use_own_cache_namespace
from tests.pages import csrf_token_of

PROXY = "10.0.0.2"
CLIENT = "203.0.113.7"
FLUSH = "/admin/cache/flush-pages/"


def request_from(remote_addr=PROXY, forwarded_for=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        # No trusted proxy: the header is ignored, whatever it says.
        (0, CLIENT, None, CLIENT),
        (0, CLIENT, "198.51.100.1", CLIENT),
        (0, CLIENT, "198.51.100.1, 198.51.100.2", CLIENT),
        # One proxy: the entry it appended (the last one); the forged ones left of it are not read.
        (1, PROXY, CLIENT, CLIENT),
        (1, PROXY, f"198.51.100.1, {CLIENT}", CLIENT),
        (1, PROXY, f"1.1.1.1,2.2.2.2 , {CLIENT}", CLIENT),
        (1, PROXY, f"{CLIENT}:51234", CLIENT),
        (1, PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (1, PROXY, "2001:DB8:0:0::1", "2001:db8::1"),
        (1, PROXY, "::ffff:203.0.113.7", CLIENT),
        # Two proxies: the second entry from the right.
        (2, PROXY, f"198.51.100.1, {CLIENT}, 10.0.0.1", CLIENT),
        # Missing, too short, or not an address at the trusted place: the nearest peer.
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, " , ", PROXY),
        (2, PROXY, CLIENT, PROXY),
        (1, PROXY, f"{CLIENT}, not-an-address", PROXY),
        (1, PROXY, f"{CLIENT}, 999.1.1.1", PROXY),
        (1, PROXY, "x" * 5000, PROXY),
        # No valid peer address at all.
        (0, "", None, None),
        (0, "unix:/run/gunicorn.sock", None, None),
    ],
)
def test_client_ip(settings, proxies, remote_addr, forwarded_for, expected):
    settings.SHOPASSIST_TRUSTED_PROXIES = proxies
    assert client_ip(request_from(remote_addr, forwarded_for)) == expected


def test_the_setting_is_read_at_each_call(settings):
    request = request_from(PROXY, f"198.51.100.1, {CLIENT}")
    settings.SHOPASSIST_TRUSTED_PROXIES = 0
    assert client_ip(request) == PROXY
    settings.SHOPASSIST_TRUSTED_PROXIES = 1
    assert client_ip(request) == CLIENT


def test_the_default_trusts_no_proxy():
    from django.conf import settings

    assert settings.SHOPASSIST_TRUSTED_PROXIES == 0
    assert client_ip(request_from(CLIENT, "198.51.100.1")) == CLIENT


def test_old_callers_get_the_same_function():
    assert actor.client_ip is client_address.client_ip


@pytest.mark.parametrize(
    ("remote_addr", "expected"),
    [
        (CLIENT, CLIENT),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("", "unknown"),
    ],
)
def test_throttles_count_an_ipv6_client_by_its_network(settings, remote_addr, expected):
    settings.SHOPASSIST_TRUSTED_PROXIES = 0
    assert client_network(request_from(remote_addr)) == expected


# --- The API's per-address throttle ----------------------------------------------------------


@pytest.fixture
def api(settings):
    use_own_cache_namespace(settings, "client-address")
    return ApiClient()


def token_attempt(api, number, **meta):
    return api.post(
        "/auth/admin-token", {"username": f"user{number}", "password": "x"}, **meta
    ).status_code


@pytest.mark.django_db
def test_rotating_forwarded_for_without_a_trusted_proxy_does_not_escape_the_throttle(
    settings, api, demo
):
    settings.SHOPASSIST_TRUSTED_PROXIES = 0
    statuses = [
        token_attempt(api, number, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        for number in range(40)
    ]

    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}


@pytest.mark.django_db
def test_behind_one_proxy_the_throttle_counts_the_forwarded_client(settings, api, demo):
    settings.SHOPASSIST_TRUSTED_PROXIES = 1
    # The client forges the left part; the proxy appends the address it saw (the last entry).
    statuses = [
        token_attempt(
            api, number, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, {CLIENT}"
        )
        for number in range(25)
    ]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}

    # Another client behind the same proxy has a count of its own.
    other = token_attempt(api, 99, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other == 401


# --- Audit entries ---------------------------------------------------------------------------


def flush_page_cache(administrator, **meta):
    admin = login_admin_client(Client(enforce_csrf_checks=True), administrator)
    token = csrf_token_of(admin.get("/admin/cache/"))
    response = admin.post(FLUSH, {"csrfmiddlewaretoken": token}, **meta)
    assert response.status_code == 302, response.content[:500]
    return ActionLogEntry.objects.get(action="page_cache.flush")


@pytest.mark.django_db
def test_behind_one_proxy_audit_entries_store_the_forwarded_client(settings, administrator):
    settings.SHOPASSIST_TRUSTED_PROXIES = 1

    entry = flush_page_cache(
        administrator, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.66, {CLIENT}"
    )

    assert entry.ip_address == CLIENT


@pytest.mark.django_db
def test_without_a_trusted_proxy_audit_entries_store_the_peer_address(settings, administrator):
    settings.SHOPASSIST_TRUSTED_PROXIES = 0

    entry = flush_page_cache(
        administrator, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="198.51.100.66"
    )

    assert entry.ip_address == CLIENT


@pytest.mark.django_db
def test_the_lockout_records_the_same_address(settings, jane):
    from axes.models import AccessAttempt

    settings.SHOPASSIST_TRUSTED_PROXIES = 1
    Client().post(
        "/en/customer/account/login/",
        {"email": jane.email, "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.66, {CLIENT}",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]
