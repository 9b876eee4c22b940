"""The ACL resource tree, and the server-side check behind every admin page and action."""

import inspect
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Group, Permission, User
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, reverse
from django.views.generic import RedirectView

from shopassist.admin_panel import menu
from shopassist.admin_panel.site import admin_site
from shopassist.core import acl
from shopassist.core.acl import require_resource
from shopassist.core.config import sections
from shopassist.core.models import AclResource
from shopassist.customers.acl import ALL_CUSTOMERS, CONFIG_CUSTOMER
from shopassist.lac_host.acl import OPT_IN
from shopassist.staff import roles
from shopassist.staff.acl import ALL_USERS, USER_ROLES
from shopassist.staff.models import Role
from shopassist.stores.acl import ALL_STORES, CONFIG_GENERAL, CONFIGURATION

# Admin URLs open to every active staff user, each for a reason.
SITE_WIDE_URLS = {
    "index": "the dashboard lists only the entries the user's resources allow",
    "login": "logging in",
    "logout": "logging out",
    "password_change": "a staff user changes their own password",
    "password_change_done": "a staff user changes their own password",
    "jsi18n": "the admin's JavaScript translations",
    "autocomplete": "answers only for model admins whose resource the user holds",
    "view_on_site": "a redirect to an object's storefront page",
    "app_list": "lists only models whose resource the user holds, 404 otherwise",
    "catch_all_view": "adds a trailing slash or answers 404",
    "object_redirect": "Django's <object_id>/ → <object_id>/change/ redirect; its target is tested",
}

# Leaf resources that guard no page (yet). Keep this list short.
NON_PAGE_RESOURCES = {
    # The "Allow remote shopping assistance" flag (SPEC §3): a field of the customer edit page.
    OPT_IN: "a field of the customer edit page",
}

FORGED_NAME = "Forged"


# Our own pages check the resource before they look anything up, so an id that matches no row
# still proves the 403 (and gives away no existence oracle).
NO_SUCH_PK = 2_147_483_647


@dataclass(frozen=True)
class AdminUrl:
    route: str  # below /admin/, e.g. "staff/role/<path:object_id>/change/"
    name: str  # URL name, or why it has none (see SITE_WIDE_URLS)
    resource: str | None
    model: type | None = None  # whose object fills <object_id>
    of_model_admin: bool = False
    # Other resources that open the page too (the Login as Customer dialog and start: Allow
    # Login as Customer or its view-only resource).
    alternatives: tuple[str, ...] = ()

    @property
    def opened_by(self) -> tuple[str, ...]:
        return (self.resource, *self.alternatives)

    def sample_pk(self):
        """The newest row of the URL's model (demo data, or the test's own staff and role)."""
        if self.model is None:
            return None
        obj = self.model._default_manager.order_by("-pk").first()
        if obj is not None:
            return obj.pk
        # Django's object pages look the object up first (history redirects when it is missing).
        assert not self.of_model_admin, f"no {self.model._meta.label} row: {self.route} untested"
        return NO_SUCH_PK

    def path(self) -> str:
        def fill(match):
            assert self.model is not None, f"{self.route}: which model fills <{match.group(1)}>?"
            return str(self.sample_pk())

        return "/admin/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, self.route)


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern


def _model_admin_of(callback):
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is None:
        # Views a ModelAdmin adds as bound methods (UserAdmin's password page).
        model_admin = getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return model_admin if isinstance(model_admin, ModelAdmin) else None


def _name_of(pattern) -> str:
    if pattern.name:
        return pattern.name
    if getattr(inspect.unwrap(pattern.callback), "view_class", None) is RedirectView:
        return "object_redirect"
    return pattern.callback.__name__


def _model_of_custom_route(route, callback, models_by_route):
    """The model whose object fills a custom page's URL."""
    # A page below a model's URLs (e.g. an order action) acts on that model.
    for prefix, model in models_by_route.items():
        if route.startswith(prefix):
            return model
    # Otherwise <customer_id> names a model, preferably of the view's own app
    # (<session_id> in the Login as Customer pages is an AssistedSession).
    view_app = apps.get_containing_app_config(inspect.unwrap(callback).__module__)
    for kwarg in re.findall(r"<(?:\w+:)?(\w+)_id>", route):
        for model in view_app.get_models() if view_app else ():
            if model._meta.model_name.endswith(kwarg):
                return model
        for model in apps.get_models():
            if model._meta.model_name == kwarg:
                return model
    return None


def admin_urls() -> list[AdminUrl]:
    """Every admin URL with the resource that guards it (None: open to all staff)."""
    found = list(_patterns(admin_site.get_urls()))
    models_by_route = {}
    for _route, pattern in found:
        model_admin = _model_admin_of(pattern.callback)
        if model_admin is not None:
            opts = model_admin.model._meta
            models_by_route[f"{opts.app_label}/{opts.model_name}/"] = model_admin.model

    urls = []
    for route, pattern in found:
        name = _name_of(pattern)
        model_admin = _model_admin_of(pattern.callback)
        alternatives = ()
        if name == "object_redirect":
            resource, model = None, None
        elif model_admin is not None:
            resource, model = model_admin.acl_resource, model_admin.model
            if name.endswith("_add") and model_admin.acl_add_resource:
                resource = model_admin.acl_add_resource
            if name.endswith("_delete") and model_admin.acl_delete_resource:
                resource = model_admin.acl_delete_resource
        else:
            resource = getattr(pattern.callback, "acl_resource", None)
            alternatives = getattr(pattern.callback, "acl_alternatives", ())
            model = _model_of_custom_route(route, pattern.callback, models_by_route)
        if name == "config_edit":
            # Each section page is guarded by the Configuration resource and its own.
            for section in sections():
                section_route = route.replace("<slug:section_id>", section.id)
                urls.append(AdminUrl(section_route, name, resource))
                urls.append(AdminUrl(section_route, name, section.resource))
            continue
        urls.append(AdminUrl(route, name, resource, model, model_admin is not None, alternatives))
    return urls


ADMIN_URLS = admin_urls()
GUARDED_URLS = [url for url in ADMIN_URLS if url.resource is not None]
GUARDING_RESOURCES = sorted({rid for url in GUARDED_URLS for rid in url.opened_by})


def all_resource_ids() -> list[str]:
    return [resource.id for resource, _parent in acl.all_resources()]


def subtree(resource_id) -> set[str]:
    return {resource.id for resource, _parent in acl.get_resource(resource_id).walk()}


def staff_with_resources(username, resource_ids, *, access=roles.ACCESS_CUSTOM):
    role = Role.objects.create(name=f"Role of {username}")
    roles.set_role_resources(role, access=access, resource_ids=resource_ids)
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(role)
    return user, role


def forged_post(pk) -> dict:
    """What an attacker would send: bulk delete, field edits, a full-access role, settings."""
    return {
        "action": "delete_selected",
        "_selected_action": [pk] if pk is not None else [],
        "post": "yes",
        "name": FORGED_NAME,
        "code": "forged",
        "username": "forged",
        "email": "forged@example.com",
        "first_name": FORGED_NAME,
        "last_name": FORGED_NAME,
        "is_active": "on",
        "resource_access": roles.ACCESS_ALL,
        "usable_password": "true",
        "password1": "Forged-Passw0rd!",
        "password2": "Forged-Passw0rd!",
        "comment": FORGED_NAME,
        "general__store_information__name": FORGED_NAME,
        "customer__account_share__scope": "0",
    }


def database_state() -> dict:
    """Every stored row (but sessions), to show that a refused request changed nothing."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.label != "sessions.Session"
    }


# --- The tree ----------------------------------------------------------------------------------


def test_resource_ids_are_unique():
    ids = all_resource_ids()
    assert len(ids) == len(set(ids))
    assert acl.ALL_RESOURCES not in ids


def test_every_resource_maps_to_a_permission_after_migrate(db):
    codenames = set(
        Permission.objects.filter(
            content_type__app_label=AclResource._meta.app_label,
            content_type__model=AclResource._meta.model_name,
        ).values_list("codename", flat=True)
    )
    assert codenames == {*all_resource_ids(), acl.ALL_RESOURCES}
    assert Permission.objects.get(codename=ALL_USERS).name == "All Users"


def test_has_resource_needs_an_active_staff_user_holding_it(db):
    holder, _role = staff_with_resources("holder", [ALL_STORES])
    assert acl.has_resource(holder, ALL_STORES)
    assert acl.has_resource(holder, "stores.settings")  # ancestors come with it
    assert not acl.has_resource(holder, ALL_CUSTOMERS)

    User.objects.filter(pk=holder.pk).update(is_active=False)
    assert not acl.has_resource(User.objects.get(pk=holder.pk), ALL_STORES)
    User.objects.filter(pk=holder.pk).update(is_active=True, is_staff=False)
    assert not acl.has_resource(User.objects.get(pk=holder.pk), ALL_STORES)


def test_require_resource_marks_the_view_through_admin_view():
    view = admin_site.admin_view(require_resource(ALL_STORES)(lambda request: HttpResponse()))
    assert view.acl_resource == ALL_STORES


def test_discovery_finds_the_foundation_pages():
    assert {
        ALL_CUSTOMERS,
        ALL_STORES,
        CONFIGURATION,
        CONFIG_GENERAL,
        CONFIG_CUSTOMER,
        ALL_USERS,
        USER_ROLES,
    } <= set(GUARDING_RESOURCES)
    names = {url.name for url in GUARDED_URLS}
    assert {"customers_customer_change", "auth_user_password_change", "config_edit"} <= names


def test_every_admin_url_is_guarded_by_a_resource_or_open_to_staff_for_a_reason():
    unguarded = {url.name for url in ADMIN_URLS if url.resource is None}
    assert unguarded <= set(SITE_WIDE_URLS), unguarded - set(SITE_WIDE_URLS)


def test_every_leaf_resource_guards_a_page_or_is_listed_with_its_reason():
    leaves = {resource.id for resource, _parent in acl.all_resources() if not resource.children}
    unguarded = leaves - set(GUARDING_RESOURCES)
    assert unguarded == set(NON_PAGE_RESOURCES)


# --- Every resource, every page: 403 without it ------------------------------------------------


@pytest.mark.parametrize("resource_id", GUARDING_RESOURCES)
def test_role_without_a_resource_gets_403_on_its_pages_and_forged_posts(
    resource_id, administrator, admin_client_for
):
    urls = [url for url in GUARDED_URLS if resource_id in url.opened_by]
    # Without the resource, and without what else opens its pages.
    withheld = {rid for url in urls for opener in url.opened_by for rid in subtree(opener)}
    everything_else = [rid for rid in all_resource_ids() if rid not in withheld]
    staff, role = staff_with_resources("probe", everything_else)
    client = admin_client_for(staff)
    before = database_state()

    for url in urls:
        path = url.path()
        assert client.get(path).status_code == 403, f"GET {path}"
        assert client.post(path, forged_post(url.sample_pk())).status_code == 403, f"POST {path}"

    after = database_state()
    # The one trace a refusal may leave is its own denial entry (issue 11, point 5): a
    # refused Login as Customer start is logged as "start_denied".
    logged_before = before.pop("audit.ActionLogEntry")
    denials = [entry for entry in after.pop("audit.ActionLogEntry") if entry not in logged_before]
    before.pop("audit.ChainHead"), after.pop("audit.ChainHead")
    assert after == before
    assert all((e["action"], e["outcome"]) == ("start_denied", "denied") for e in denials)
    assert all(e["admin_id"] == staff.pk for e in denials)

    # Positive control: once the role holds the resource, the same user gets what an
    # administrator (Resource Access: All) gets, and the resource's main pages open.
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=all_resource_ids())
    as_administrator = admin_client_for(administrator)
    for url in urls:
        path = url.path()
        status = client.get(path).status_code
        assert status == as_administrator.get(path).status_code, f"GET {path} → {status}"
        if url.name.endswith("_changelist") or url.name == "config_edit":
            assert status == 200, f"GET {path}"
    assert any(client.get(url.path()).status_code != 403 for url in urls)


def test_staff_without_any_resource_gets_no_app_list(demo, admin_client_for):
    staff, _role = staff_with_resources("nobody", [])
    client = admin_client_for(staff)
    app_labels = {url.model._meta.app_label for url in GUARDED_URLS if url.model is not None}

    for app_label in app_labels:
        assert client.get(f"/admin/{app_label}/").status_code == 404, app_label
    assert client.get(reverse("admin:index")).status_code == 200


def test_non_staff_user_cannot_open_any_admin_page(demo, admin_client_for):
    outsider = User.objects.create_user("outsider")
    client = admin_client_for(outsider)
    for url in GUARDED_URLS[:: max(1, len(GUARDED_URLS) // 10)]:
        path = url.path()
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path


# --- The menu ----------------------------------------------------------------------------------


def menu_html_and_titles(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        (section["title"], entry["group"], entry["title"])
        for section in response.context["admin_menu"]
        for entry in section["entries"]
    }
    return response.content.decode(), {tuple(str(part) for part in item) for item in shown}


@pytest.mark.parametrize("username", ["clerk", "auditor", "support"])
def test_menu_shows_no_entry_the_role_lacks(username, demo, admin_client_for):
    staff = User.objects.get(username=username)
    html, _shown = menu_html_and_titles(admin_client_for(staff))

    lacked = 0
    for section in menu.SECTIONS.values():
        for entry in section.entries:
            url = reverse(entry.url_name)
            visible = entry.visible is None or entry.visible()
            if visible and acl.has_resource(staff, entry.resource):
                assert f'href="{url}"' in html, (username, entry.url_name)
            else:
                lacked += 1
                assert f'href="{url}"' not in html, (username, entry.url_name)
    assert lacked, f"{username} holds every menu entry; the test would prove nothing"
    assert f'href="{reverse("admin:staff_staffuser_changelist")}"' not in html


def test_administrator_menu_reads_like_the_seed(administrator, admin_client_for):
    html, shown = menu_html_and_titles(admin_client_for(administrator))

    assert {
        ("Customers", "", "All Customers"),
        ("Stores", "Settings", "Configuration"),
        ("Stores", "Settings", "All Stores"),
        ("System", "Permissions", "All Users"),
        ("System", "Permissions", "User Roles"),
    } <= shown
    for url_name in (
        "admin:customers_customer_changelist",
        "admin:config_index",
        "admin:stores_storeview_changelist",
        "admin:staff_staffuser_changelist",
        "admin:staff_role_changelist",
    ):
        assert f'href="{reverse(url_name)}"' in html


# --- Role Resources ----------------------------------------------------------------------------


def acl_codenames(role) -> set[str]:
    return set(
        role.permissions.filter(content_type__model=AclResource._meta.model_name).values_list(
            "codename", flat=True
        )
    )


def role_form(name, access, resources=()):
    return {"name": name, "resource_access": access, "resources": list(resources)}


def test_custom_role_stores_exactly_the_chosen_resources_and_their_ancestors(
    administrator, admin_client_for
):
    response = admin_client_for(administrator).post(
        reverse("admin:staff_role_add"),
        role_form("Store Keeper", roles.ACCESS_CUSTOM, [ALL_STORES, ALL_USERS]),
    )

    assert response.status_code == 302
    assert acl_codenames(Group.objects.get(name="Store Keeper")) == {
        "stores",
        "stores.settings",
        ALL_STORES,
        "system",
        "system.permissions",
        ALL_USERS,
    }


def test_all_access_stores_the_all_permission_and_custom_replaces_it(
    administrator, admin_client_for
):
    client = admin_client_for(administrator)
    auditor_role = Group.objects.get(name="Auditor")
    change = reverse("admin:staff_role_change", args=[auditor_role.pk])

    assert client.post(change, role_form("Auditor", roles.ACCESS_ALL)).status_code == 302
    assert acl_codenames(auditor_role) == {acl.ALL_RESOURCES}

    response = client.post(change, role_form("Auditor", roles.ACCESS_CUSTOM, [ALL_CUSTOMERS]))
    assert response.status_code == 302
    assert acl_codenames(auditor_role) == {"customers", ALL_CUSTOMERS}


@pytest.fixture
def role_manager(demo):
    """A non-superuser holding only System › Permissions › All Users and User Roles."""
    staff, _role = staff_with_resources("role.manager", [ALL_USERS, USER_ROLES])
    return staff


@pytest.mark.parametrize(
    ("access", "resources"),
    [
        (roles.ACCESS_CUSTOM, [USER_ROLES, ALL_CUSTOMERS]),
        (roles.ACCESS_CUSTOM, [CONFIGURATION]),
        (roles.ACCESS_ALL, []),
    ],
)
def test_role_manager_cannot_grant_a_resource_they_do_not_hold(
    role_manager, admin_client_for, access, resources
):
    client = admin_client_for(role_manager)
    own_role = role_manager.groups.get()
    before = database_state()

    added = client.post(reverse("admin:staff_role_add"), role_form("Escalator", access, resources))
    edited_own = client.post(
        reverse("admin:staff_role_change", args=[own_role.pk]),
        role_form(own_role.name, access, resources),
    )

    assert added.status_code == 403
    assert edited_own.status_code == 403
    assert database_state() == before
    assert not acl.has_resource(User.objects.get(pk=role_manager.pk), ALL_CUSTOMERS)


def test_role_manager_can_grant_resources_they_hold(role_manager, admin_client_for):
    response = admin_client_for(role_manager).post(
        reverse("admin:staff_role_add"), role_form("Role Viewer", roles.ACCESS_CUSTOM, [USER_ROLES])
    )

    assert response.status_code == 302
    assert acl_codenames(Group.objects.get(name="Role Viewer")) == {
        "system",
        "system.permissions",
        USER_ROLES,
    }


def user_form(user, role_ids):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": role_ids,
    }


@pytest.fixture
def new_hire(demo):
    """A staff user without a role: within anyone's powers."""
    return User.objects.create_user("new.hire", first_name="New", last_name="Hire", is_staff=True)


def test_role_manager_cannot_give_a_user_a_role_more_powerful_than_their_own(
    role_manager, admin_client_for, new_hire
):
    administrators = Group.objects.get(name="Administrators")
    support = Group.objects.get(name="Customer Support")
    client = admin_client_for(role_manager)
    change = reverse("admin:staff_staffuser_change", args=[new_hire.pk])
    before = database_state()

    for role in (administrators, support):
        assert client.post(change, user_form(new_hire, [role.pk])).status_code == 403, role.name

    assert database_state() == before
    assert not new_hire.groups.exists()


def test_role_manager_can_give_a_user_a_role_within_their_own(
    role_manager, admin_client_for, new_hire
):
    own_role = role_manager.groups.get()
    client = admin_client_for(role_manager)

    response = client.post(
        reverse("admin:staff_staffuser_change", args=[new_hire.pk]),
        user_form(new_hire, [own_role.pk]),
    )

    assert response.status_code == 302
    assert list(new_hire.groups.all()) == [own_role]


@pytest.mark.parametrize("username", ["admin", "clerk"])
def test_role_manager_cannot_edit_or_set_the_password_of_a_more_powerful_user(
    role_manager, admin_client_for, username
):
    target = User.objects.get(username=username)
    client = admin_client_for(role_manager)
    before = database_state()

    password = reverse("admin:auth_user_password_change", args=[target.pk])
    new_password = {"password1": "Taken-0ver-123", "password2": "Taken-0ver-123"}
    assert client.post(password, new_password).status_code == 403
    change = reverse("admin:staff_staffuser_change", args=[target.pk])
    assert client.post(change, user_form(target, [])).status_code == 403
    delete = reverse("admin:staff_staffuser_delete", args=[target.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    assert database_state() == before
    # They may still see the user, read-only.
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="username"' not in page.content.decode()


def test_role_manager_can_set_the_password_of_a_user_within_their_powers(
    role_manager, admin_client_for, new_hire
):
    response = admin_client_for(role_manager).post(
        reverse("admin:auth_user_password_change", args=[new_hire.pk]),
        {"password1": "Fresh-Passw0rd-1", "password2": "Fresh-Passw0rd-1"},
    )

    assert response.status_code == 302
    new_hire.refresh_from_db()
    assert new_hire.check_password("Fresh-Passw0rd-1")


def test_user_change_page_never_shows_the_password_hash(administrator, admin_client_for, clerk):
    page = admin_client_for(administrator).get(
        reverse("admin:staff_staffuser_change", args=[clerk.pk])
    )

    assert page.status_code == 200
    assert clerk.password not in page.content.decode()
    assert 'name="password"' not in page.content.decode()


def test_administrator_can_add_a_staff_user(administrator, admin_client_for):
    response = admin_client_for(administrator).post(
        reverse("admin:staff_staffuser_add"),
        {
            "username": "new.staff",
            "usable_password": "true",
            "password1": "New-Staff-Passw0rd",
            "password2": "New-Staff-Passw0rd",
        },
    )

    assert response.status_code == 302
    new_staff = User.objects.get(username="new.staff")
    assert new_staff.is_staff and new_staff.check_password("New-Staff-Passw0rd")
