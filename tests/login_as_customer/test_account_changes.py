"""A change that takes away what a live assisted session stands on ends it when the change
commits (integrations/account_changes.py), so that undoing the change before the session's next
request does not bring the session back: a customer or an administrator deactivated, the role's
Allow Login as Customer taken, the feature switched off — on the web and for an assisted API
token alike. Saves that change nothing a session stands on leave it live, and a sign-in's
``last_login`` rechecks nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.models import AssistedSession, EndReason
from shopassist.customers.models import Customer
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db

BANNER = b'data-testid="lac-banner"'


def _set_active(model, pk, active):
    account = model.objects.get(pk=pk)
    account.is_active = active
    account.save()  # as the admin pages save it


def _customer(active):
    def change(scene):
        _set_active(Customer, scene.jane.pk, active)

    return change


def _admin(active):
    def change(scene):
        _set_active(User, scene.support_agent.pk, active)

    return change


def _allow(held):
    def change(scene):
        role = Role.objects.get(name="Customer Support")
        if held:
            access, resource_ids = scene.support_resources
        else:
            access, resource_ids = roles.ACCESS_CUSTOM, ["customers.manage"]
        roles.set_role_resources(role, access=access, resource_ids=resource_ids)

    return change


def _feature(enabled):
    def change(scene):
        scene.set_config({lac_config.ENABLED: "1" if enabled else "0"})

    return change


UNDONE = [
    (_customer(False), _customer(True), EndReason.CUSTOMER_DEACTIVATED),
    (_admin(False), _admin(True), EndReason.ADMIN_DEACTIVATED),
    (_allow(False), _allow(True), EndReason.PERMISSION_REVOKED),
    (_feature(False), _feature(True), EndReason.FEATURE_DISABLED),
]
IDS = ["customer-deactivated", "admin-deactivated", "allow-taken", "feature-off"]


class Scene:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.fixture
def scene(support_client, support_agent, jane, set_config):
    role = Role.objects.get(name="Customer Support")
    return Scene(
        support_client=support_client,
        support_agent=support_agent,
        jane=jane,
        set_config=set_config,
        support_resources=roles.role_resources(role),
    )


@pytest.mark.parametrize(("take", "undo", "reason"), UNDONE, ids=IDS)
def test_a_change_undone_before_the_next_request_leaves_the_session_ended(
    scene, take, undo, reason, django_capture_on_commit_callbacks
):
    browser, session = start_assisted(scene.support_client, scene.jane)

    with django_capture_on_commit_callbacks(execute=True):
        take(scene)
    with django_capture_on_commit_callbacks(execute=True):
        undo(scene)

    ended = AssistedSession.objects.get(pk=session.pk)
    assert ended.ended_at is not None
    assert ended.end_reason == reason
    page = browser.get("/en/customer/account/", follow=True)
    assert BANNER not in page.content
    assert "The assisted session has ended." in page.content.decode()


def test_a_deactivated_customer_ends_the_assisted_api_token_for_good(
    scene, django_capture_on_commit_callbacks
):
    from tests.api.conftest import ApiClient, admin_token_for, assisted_token_for

    api = ApiClient()
    token = assisted_token_for(api, admin_token_for(api, "support"), scene.jane)
    assert api.get("/customers/me", token=token).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        _customer(False)(scene)
    with django_capture_on_commit_callbacks(execute=True):
        _customer(True)(scene)

    assert AssistedSession.objects.get().end_reason == EndReason.CUSTOMER_DEACTIVATED
    assert api.get("/customers/me", token=token).status_code == 401


def test_saves_that_change_nothing_it_stands_on_leave_the_session_live(
    scene, django_capture_on_commit_callbacks
):
    browser, session = start_assisted(scene.support_client, scene.jane)

    with django_capture_on_commit_callbacks(execute=True):
        jane = Customer.objects.get(pk=scene.jane.pk)
        jane.first_name = "Janet"
        jane.save()
        support = User.objects.get(pk=scene.support_agent.pk)
        support.first_name = "Sam"
        support.save()

    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    assert BANNER in browser.get("/en/customer/account/").content


def test_a_sign_ins_last_login_rechecks_nothing(scene, django_capture_on_commit_callbacks):
    start_assisted(scene.support_client, scene.jane)
    jane = Customer.objects.get(pk=scene.jane.pk)
    support = User.objects.get(pk=scene.support_agent.pk)

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        jane.last_login = support.last_login = timezone.now()
        jane.save(update_fields=["last_login"])
        support.save(update_fields=["last_login"])

    assert callbacks == []
    assert not [query for query in queries if "assistedsession" in query["sql"]]


def test_deleting_the_role_takes_its_resources_and_ends_the_session(
    scene, administrator, admin_client_for, django_capture_on_commit_callbacks
):
    """A role is deleted through its proxy model (staff.Role): its signals name the proxy and
    its members go by cascade — neither the memo of grants nor the live sessions heard of it."""
    _browser, session = start_assisted(scene.support_client, scene.jane)
    assert scene.support_client.get("/admin/login_as_customer/log/").status_code == 200
    role = Role.objects.get(name="Customer Support")

    with django_capture_on_commit_callbacks(execute=True):
        deleted = admin_client_for(administrator).post(
            reverse("admin:staff_role_delete", args=[role.pk]), {"post": "yes"}
        )

    assert deleted.status_code == 302 and not Role.objects.filter(pk=role.pk).exists()
    assert scene.support_client.get("/admin/login_as_customer/log/").status_code == 403
    assert AssistedSession.objects.get(pk=session.pk).end_reason == EndReason.PERMISSION_REVOKED


def test_a_session_ended_by_a_shortened_limit_is_told_at_the_next_sign_in(
    scene, django_capture_on_commit_callbacks
):
    """Live at the customer's sign-in (nothing to tell then), ended by a shorter maximum
    duration saved afterwards: ended now, not back when the new limit would have passed (which
    fell before what that sign-in marked told, and was never told)."""
    _browser, session = start_assisted(scene.support_client, scene.jane)
    later = timezone.now() + timedelta(minutes=10)
    with time_machine.travel(later):
        login_customer_client(Client(), scene.jane)  # told: nothing ended yet
    with time_machine.travel(later + timedelta(seconds=30)):
        _feature_limit(scene, minutes=5)
        own = login_customer_client(Client(), scene.jane)
        page = own.get("/en/customer/account/").content.decode()

    ended = AssistedSession.objects.get(pk=session.pk)
    assert ended.end_reason == EndReason.MAX_DURATION
    assert ended.ended_at > later  # after the first sign-in, not back at started_at + 5 min
    assert 'data-testid="lac-notice"' in page


def _feature_limit(scene, *, minutes):
    scene.set_config({lac_config.MAX_DURATION: str(minutes)})
