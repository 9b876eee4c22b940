"""Issue 11, point 7: a role manager (User Roles without Resource Access "All") can neither
escalate nor strip. They give a role only resources they hold themselves; a role holding any
resource they lack (or "All") they can neither change, delete nor assign to or take from a user.

Every refusal is a forged POST straight to the server, and every one is checked to have
changed nothing at all."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils.functional import Promise

from shopassist.core import acl
from shopassist.core.models import AclResource
from shopassist.customers.acl import ALL_CUSTOMERS
from shopassist.lac_host.acl import ALLOW
from shopassist.staff import roles
from shopassist.staff.acl import ALL_USERS, USER_ROLES
from shopassist.staff.admin import READ_ONLY_ROLE_NOTICE
from shopassist.staff.models import Role

READ_ONLY_ROLE = "This role holds resources you do not hold: you may view it, not change it."


def database_state() -> dict:
    """Every stored row (but sessions), to show that a refused request changed nothing."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.label != "sessions.Session"
    }


def acl_codenames(role) -> set[str]:
    return set(
        role.permissions.filter(content_type__model=AclResource._meta.model_name).values_list(
            "codename", flat=True
        )
    )


def role_form(name, access, resources=()):
    return {"name": name, "resource_access": access, "resources": list(resources)}


def user_form(user, role_ids):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": list(role_ids),
    }


def bulk_delete(role_ids, *, confirmed=True):
    data = {"action": "delete_selected", "_selected_action": list(role_ids)}
    if confirmed:
        data["post"] = "yes"
    return data


def make_role(name, resource_ids, *, access=roles.ACCESS_CUSTOM):
    role = Role.objects.create(name=name)
    roles.set_role_resources(role, access=access, resource_ids=resource_ids)
    return role


def fresh(user):
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def manager(demo):
    """Holds User Roles and All Users (System › Permissions) — not All, not Customers."""
    user = User.objects.create_user("role.manager", is_staff=True)
    user.groups.add(make_role("Role Managers", [ALL_USERS, USER_ROLES]))
    return user


@pytest.fixture
def manager_client(manager, admin_client_for):
    return admin_client_for(manager)


@pytest.fixture
def administrators(demo):
    return Group.objects.get(name="Administrators")


@pytest.fixture
def support_role(demo):
    return Group.objects.get(name="Customer Support")


@pytest.fixture
def viewer_role(demo):
    """A role within the manager's powers (User Roles only)."""
    return make_role("Role Viewers", [USER_ROLES])


@pytest.fixture
def new_hire(demo):
    return User.objects.create_user("new.hire", first_name="New", last_name="Hire", is_staff=True)


def change_role(role):
    return reverse("admin:staff_role_change", args=[role.pk])


def delete_role(role):
    return reverse("admin:staff_role_delete", args=[role.pk])


def change_user(user):
    return reverse("admin:staff_staffuser_change", args=[user.pk])


ROLES_CHANGELIST = "admin:staff_role_changelist"


# --- Escalation: a role gets only resources its editor holds -----------------------------------


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize(
    ("access", "resources"),
    [
        (roles.ACCESS_CUSTOM, [USER_ROLES, ALL_CUSTOMERS]),
        (roles.ACCESS_CUSTOM, [ALLOW]),
        (roles.ACCESS_ALL, []),
    ],
)
def test_manager_cannot_add_a_resource_they_lack_to_a_role(
    manager, manager_client, viewer_role, which, access, resources
):
    role = manager.groups.get() if which == "own" else viewer_role
    before = database_state()

    response = manager_client.post(change_role(role), role_form(role.name, access, resources))

    assert response.status_code == 403
    assert database_state() == before
    assert not acl.has_resource(fresh(manager), ALL_CUSTOMERS)


# --- Stripping: a role holding more than its editor is read-only to them -----------------------


@pytest.mark.parametrize(
    "posted",
    [
        role_form("Administrators", roles.ACCESS_CUSTOM, []),  # stripped to nothing
        role_form("Administrators", roles.ACCESS_CUSTOM, [USER_ROLES]),  # to what they hold
        role_form("Admins (old)", roles.ACCESS_ALL, []),  # a rename only
    ],
    ids=["to-nothing", "to-their-own", "rename"],
)
def test_manager_cannot_change_the_administrators_role(
    manager_client, administrators, administrator, posted
):
    before = database_state()

    response = manager_client.post(change_role(administrators), posted)

    assert response.status_code == 403
    assert database_state() == before
    administrators.refresh_from_db()
    assert administrators.name == "Administrators"
    assert acl_codenames(administrators) == {acl.ALL_RESOURCES}
    for resource_id in (ALL_CUSTOMERS, ALLOW):
        assert acl.has_resource(fresh(administrator), resource_id)


def test_manager_cannot_change_a_custom_role_holding_a_resource_they_lack(
    manager_client, support_role
):
    codenames = acl_codenames(support_role)
    before = database_state()

    response = manager_client.post(
        change_role(support_role), role_form("Customer Support", roles.ACCESS_CUSTOM, [])
    )

    assert response.status_code == 403
    assert database_state() == before
    assert acl_codenames(support_role) == codenames


def test_role_beyond_the_manager_shows_read_only_with_a_translated_notice(
    manager_client, administrators
):
    page = manager_client.get(change_role(administrators))

    assert page.status_code == 200
    html = page.content.decode()
    assert READ_ONLY_ROLE in html
    assert 'name="name"' not in html and 'name="resource_access"' not in html
    assert delete_role(administrators) not in html
    assert 'name="_save"' not in html
    assert '<div class="readonly">All</div>' in html  # what it holds, shown read-only
    assert isinstance(READ_ONLY_ROLE_NOTICE, Promise)  # gettext_lazy: the catalogues translate it


@pytest.mark.parametrize("role_name", ["Administrators", "Customer Support"])
def test_manager_cannot_delete_a_role_beyond_them(manager_client, role_name):
    role = Group.objects.get(name=role_name)
    before = database_state()

    assert manager_client.get(delete_role(role)).status_code == 403
    assert manager_client.post(delete_role(role), {"post": "yes"}).status_code == 403

    assert database_state() == before
    assert Group.objects.filter(pk=role.pk, name=role_name).exists()


def test_manager_cannot_bulk_delete_a_role_beyond_them(manager_client, administrators, viewer_role):
    changelist = reverse(ROLES_CHANGELIST)
    before = database_state()

    # The confirmation page names what they may not delete; the forged confirmation is refused.
    asked = manager_client.post(changelist, bulk_delete([administrators.pk], confirmed=False))
    alone = manager_client.post(changelist, bulk_delete([administrators.pk]))
    mixed = manager_client.post(changelist, bulk_delete([viewer_role.pk, administrators.pk]))

    assert asked.status_code == 200 and asked.context["perms_lacking"]
    assert alone.status_code == 403
    assert mixed.status_code == 403
    assert database_state() == before
    assert Group.objects.filter(pk__in=[administrators.pk, viewer_role.pk]).count() == 2


# --- Users: no role beyond the manager given or taken ------------------------------------------


@pytest.mark.parametrize("role_name", ["Administrators", "Customer Support"])
def test_manager_cannot_give_a_role_beyond_them_to_a_user_or_themselves(
    manager, manager_client, new_hire, role_name
):
    role = Group.objects.get(name=role_name)
    own_role = manager.groups.get()
    before = database_state()

    to_new_hire = manager_client.post(change_user(new_hire), user_form(new_hire, [role.pk]))
    to_self = manager_client.post(change_user(manager), user_form(manager, [own_role.pk, role.pk]))

    assert to_new_hire.status_code == 403
    assert to_self.status_code == 403
    assert database_state() == before
    assert not new_hire.groups.exists()
    assert list(manager.groups.all()) == [own_role]
    assert not acl.has_resource(fresh(manager), ALL_CUSTOMERS)


def test_manager_cannot_take_the_administrators_role_from_the_administrator(
    manager, manager_client, administrator, administrators
):
    own_role = manager.groups.get()
    before = database_state()

    removed = manager_client.post(change_user(administrator), user_form(administrator, []))
    swapped = manager_client.post(
        change_user(administrator), user_form(administrator, [own_role.pk])
    )

    assert removed.status_code == 403
    assert swapped.status_code == 403
    assert database_state() == before
    assert list(administrator.groups.all()) == [administrators]
    assert acl.has_resource(fresh(administrator), ALL_CUSTOMERS)


def test_manager_cannot_take_a_role_beyond_them_from_a_user_they_otherwise_manage(
    manager, manager_client, new_hire, support_role
):
    new_hire.groups.add(support_role)
    before = database_state()

    response = manager_client.post(change_user(new_hire), user_form(new_hire, []))

    assert response.status_code == 403
    assert database_state() == before
    assert list(new_hire.groups.all()) == [support_role]


def test_user_page_offers_only_roles_within_the_manager(
    manager, manager_client, new_hire, administrators, viewer_role
):
    html = manager_client.get(change_user(new_hire)).content.decode()

    assert _disabled(html, "groups", administrators.pk)
    assert not _disabled(html, "groups", viewer_role.pk)


def _disabled(html, name, value) -> bool:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', html)
    assert match, (name, value)
    return " disabled" in match.group(0)


# --- Positive controls -------------------------------------------------------------------------


def test_manager_can_change_a_role_within_their_resources(manager_client, viewer_role):
    response = manager_client.post(
        change_role(viewer_role), role_form("Role Viewers 2", roles.ACCESS_CUSTOM, [ALL_USERS])
    )

    assert response.status_code == 302
    viewer_role.refresh_from_db()
    assert viewer_role.name == "Role Viewers 2"
    assert acl_codenames(viewer_role) == {"system", "system.permissions", ALL_USERS}


def test_manager_can_delete_a_role_within_their_resources(manager_client, viewer_role):
    response = manager_client.post(delete_role(viewer_role), {"post": "yes"})

    assert response.status_code == 302
    assert not Group.objects.filter(pk=viewer_role.pk).exists()


def test_manager_can_bulk_delete_roles_within_their_resources(manager_client, viewer_role):
    other = make_role("Role Viewers Too", [USER_ROLES])

    response = manager_client.post(
        reverse(ROLES_CHANGELIST), bulk_delete([viewer_role.pk, other.pk])
    )

    assert response.status_code == 302
    assert not Group.objects.filter(pk__in=[viewer_role.pk, other.pk]).exists()


def test_manager_can_give_and_take_a_role_within_their_resources(
    manager_client, new_hire, viewer_role
):
    given = manager_client.post(change_user(new_hire), user_form(new_hire, [viewer_role.pk]))
    assert given.status_code == 302
    assert list(new_hire.groups.all()) == [viewer_role]

    taken = manager_client.post(change_user(new_hire), user_form(new_hire, []))
    assert taken.status_code == 302
    assert not new_hire.groups.exists()


def test_role_page_offers_only_what_the_manager_holds(manager_client, viewer_role):
    for path in (reverse("admin:staff_role_add"), change_role(viewer_role)):
        html = manager_client.get(path).content.decode()
        assert READ_ONLY_ROLE not in html
        assert _disabled(html, "resource_access", roles.ACCESS_ALL), path
        assert not _disabled(html, "resource_access", roles.ACCESS_CUSTOM), path
        assert _disabled(html, "resources", ALL_CUSTOMERS), path
        assert not _disabled(html, "resources", USER_ROLES), path


def test_role_list_marks_the_roles_beyond_the_manager(
    manager_client, administrator, admin_client_for, administrators, viewer_role
):
    response = manager_client.get(reverse(ROLES_CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Editable by you" in html
    assert f'href="{change_role(administrators)}"' in html  # still listed, read-only

    as_admin = admin_client_for(administrator).get(reverse(ROLES_CHANGELIST)).content.decode()
    assert "Editable by you" not in as_admin


def test_holder_of_all_can_still_do_everything(administrator, admin_client_for, support_role):
    client = admin_client_for(administrator)
    html = client.get(change_role(support_role)).content.decode()
    assert not _disabled(html, "resource_access", roles.ACCESS_ALL)
    assert not _disabled(html, "resources", ALL_CUSTOMERS)

    response = client.post(
        change_role(support_role), role_form("Customer Support", roles.ACCESS_ALL)
    )
    assert response.status_code == 302
    assert acl_codenames(support_role) == {acl.ALL_RESOURCES}
    assert client.post(delete_role(support_role), {"post": "yes"}).status_code == 302
    assert not Group.objects.filter(pk=support_role.pk).exists()


def test_taking_a_role_is_checked_like_giving_it(manager, administrators, viewer_role):
    # The user page refuses the whole user first (can_manage_user); this is the second line.
    assert not roles.can_change_user_roles(manager, before={administrators}, after=set())
    assert not roles.can_change_user_roles(manager, before=set(), after={administrators})
    assert roles.can_change_user_roles(
        manager, before={administrators, viewer_role}, after={administrators}
    )
    assert roles.can_change_user_roles(manager, before=set(), after={viewer_role})


def test_manager_cannot_edit_a_user_holding_all_as_a_direct_permission(manager_client, new_hire):
    new_hire.user_permissions.add(Permission.objects.get(codename=acl.ALL_RESOURCES))
    before = database_state()

    response = manager_client.post(change_user(new_hire), user_form(new_hire, []))
    password = manager_client.post(
        reverse("admin:auth_user_password_change", args=[new_hire.pk]),
        {"password1": "Taken-0ver-123", "password2": "Taken-0ver-123"},
    )

    assert response.status_code == 403
    assert password.status_code == 403
    assert database_state() == before


def test_user_beyond_the_manager_shows_read_only_with_a_notice(manager_client, administrator):
    page = manager_client.get(change_user(administrator))

    assert page.status_code == 200
    html = page.content.decode()
    assert "This user holds resources you do not hold" in html
    assert 'name="groups"' not in html and 'name="_save"' not in html
