"""Issue 13 point 9: the log's e-mail and admin filters match as a person types (any part, any
case; trigram indexes on PostgreSQL), and store views show by name wherever a person reads one
(the log keeps the code as it was: CSV exports and filters still use it)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from login_as_customer.models import AssistedSession
from shopassist.audit import substring_filter
from shopassist.audit.filters import keyset_page
from shopassist.audit.models import ActionGroup, ActionLogEntry, Outcome
from shopassist.audit.search_values import VALUES_TABLE, index_probe, matching_values
from shopassist.audit.substring_filter import filter_icontains
from shopassist.audit.writer import record
from shopassist.customers.models import Customer
from tests.audit.helpers import csv_rows, table
from tests.conftest import login_customer_client

LOG = reverse("admin:login_as_customer_log")
REPORT = reverse("admin:audit_report")
ACTIVE = reverse("admin:login_as_customer_active")


@pytest.fixture
def kim(demo):
    return Customer.objects.get(email="kim.minji@example.com")


@pytest.fixture
def logged(support_agent, administrator, jane, marie, kim):
    """Three live sessions and one report entry each: support as Jane (English) and as Marie
    (Français), the administrator as Kim (한국어)."""
    now = timezone.now()
    rows = {}
    for name, staff, customer, code in (
        ("jane", support_agent, jane, "en"),
        ("marie", support_agent, marie, "fr"),
        ("kim", administrator, kim, "ko"),
    ):
        session = AssistedSession.objects.create(
            admin=staff,
            admin_username=staff.username,
            customer=customer,
            customer_email=customer.email,
            customer_name=customer.full_name,
            store_view_code=code,
            website_name="Main Website",
            started_at=now,
            last_seen_at=now,
        )
        entry = record(
            action_group=ActionGroup.LOGIN_AS_CUSTOMER,
            action="cart.add",
            admin=staff,
            customer=customer,
            store_view_code=code,
            assisted_session_id=session.pk,
        )
        rows[name] = (session, entry)
    return rows


def listed_sessions(client, params) -> list[int]:
    response = client.get(LOG, params)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'log/(\d+)/">\1</a>', response.content.decode())]


def listed_entries(client, params, logged) -> list[int]:
    """Ids of the report's rows that belong to this test's sessions."""
    response = client.get(REPORT, params)
    assert response.status_code == 200
    _header, *rows = table(response, id="result_list")
    ours = {entry.pk: name for name, (_session, entry) in logged.items()}
    by_customer = {entry.customer_email: entry.pk for _session, entry in logged.values()}
    return sorted(
        ours[by_customer[row[5]]] for row in rows if len(row) > 5 and row[5] in by_customer
    )


TYPED = [
    # what a person types in a filter → whose rows they mean
    ({"admin_username": "supp"}, ["jane", "marie"]),
    ({"admin_username": "SUPPORT"}, ["jane", "marie"]),
    ({"admin_username": " Dmi "}, ["kim"]),
    ({"customer_email": "dupont"}, ["marie"]),
    ({"customer_email": "Jane.Doe@"}, ["jane"]),
    ({"customer_email": "KIM.minji@example.com"}, ["kim"]),
    ({"customer_email": "EXAMPLE.COM", "admin_username": "port"}, ["jane", "marie"]),
    ({"customer_email": "nobody"}, []),
]


@pytest.mark.parametrize(("params", "expected"), TYPED)
def test_the_session_log_filters_match_as_a_person_types(
    params, expected, logged, admin_client_for, auditor
):
    listed = listed_sessions(admin_client_for(auditor), params)

    assert listed == [
        logged[name][0].pk for name in sorted(expected, key=lambda n: -logged[n][0].pk)
    ]


@pytest.mark.parametrize(("params", "expected"), TYPED)
def test_the_action_report_filters_match_as_a_person_types(
    params, expected, logged, admin_client_for, auditor
):
    assert listed_entries(admin_client_for(auditor), params, logged) == sorted(expected)


def test_the_session_log_picks_a_store_view_by_name(logged, admin_client_for, auditor):
    client = admin_client_for(auditor)
    html = client.get(LOG).content.decode()

    select = re.search(r'<select name="store_view".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options == [
        ("", "All"),
        ("en", "English"),
        ("fr", "Français"),
        ("ko", "한국어"),
        ("zh-hant", "繁體中文"),
    ]
    assert listed_sessions(client, {"store_view": "fr"}) == [logged["marie"][0].pk]
    response = client.get(LOG, {"store_view": "xx"})  # no such store view: said, nothing listed
    assert "Select a valid choice" in response.content.decode()
    assert listed_sessions(client, {"store_view": "xx"}) == []


def test_store_views_show_by_name_where_a_person_reads_them(
    logged, admin_client_for, auditor, administrator, jane
):
    session, _entry = logged["marie"]
    client = admin_client_for(auditor)

    log_row = next(r for r in table(client.get(LOG), id="result_list") if r[0] == str(session.pk))
    assert log_row[6] == "Français"
    detail_page = client.get(reverse("admin:login_as_customer_log_detail", args=[session.pk]))
    detail = table(detail_page, **{"class": "sa-kv"})
    assert ["Store View", "Français"] in detail
    report = table(client.get(REPORT, {"customer_email": "marie"}), id="result_list")
    assert [row[6] for row in report[1:]] == ["Français"]
    active = table(admin_client_for(administrator).get(ACTIVE), id="result_list")
    assert {row[3]: row[4] for row in active[1:]}["marie.dupont@example.com"] == "Français"
    history = login_customer_client(Client(), jane).get("/en/customer/assisted-sessions/")
    assert history.status_code == 200
    assert "English" in history.content.decode()
    assert f">{logged['jane'][0].store_view_code}<" not in history.content.decode()

    # The exports keep the code, as stored.
    exported = csv_rows(client.get(LOG, {"customer_email": "marie", "export": "csv"}))
    assert exported[1][exported[0].index("store_view_code")] == "fr"


def test_a_store_view_that_no_longer_exists_shows_its_code(logged, admin_client_for, auditor):
    session, _entry = logged["kim"]
    AssistedSession.objects.filter(pk=session.pk).update(store_view_code="gone")

    rows = table(admin_client_for(auditor).get(LOG), id="result_list")

    assert next(r for r in rows if r[0] == str(session.pk))[6] == "gone"


# --- PostgreSQL: the partial, any-case filters read the trigram indexes --------------------------


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A GIN index is read by a bitmap scan; on a small table the primary key's ordered index
        # scan can be priced lower, whatever the statistics other tests left: rule it out too.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
@pytest.mark.parametrize(
    ("model", "column", "index"),
    [
        (AssistedSession, "admin_username", "lac_admin_username_trgm"),
        (AssistedSession, "customer_email", "lac_customer_email_trgm"),
        (ActionLogEntry, "admin_username", "audit_admin_username_trgm"),
        (ActionLogEntry, "customer_email", "audit_customer_email_trgm"),
    ],
)
def test_partial_filters_can_use_the_trigram_indexes(db, model, column, index):
    """With sequential scans priced out, the planner reaches for the index: the filter's SQL
    (Django's icontains) is the very expression the index holds."""
    queryset = model.objects.filter(**{f"{column}__icontains": "Dupont"}).order_by("-id")[:51]

    assert index in plan(queryset)


# --- At scale (issue 15): values looked up first, then rows (shopassist/audit/substring_filter) --

FEW_AT_MOST = 3  # MAX_VALUES and MAX_ROWS for these tests: a part matching more is "common"
EMAILS = [
    "ana.rare@scale.test",
    "ANA.RARE@scale.test",  # another value for the same part, in another case
    "bo.middle1@scale.test",
    "bo.middle2@scale.test",
    "BO.MIDDLE3@scale.test",
    "100%_odd@scale.test",  # LIKE's wildcards, taken literally by icontains
    *(f"zz{number}@common.scale.test" for number in range(6)),
]
ADMINS = ["agent.a", "agent.b", "AGENT.C", "agent.d", "supervisor"]


@pytest.fixture
def scaled_down(monkeypatch):
    monkeypatch.setattr(substring_filter, "MAX_VALUES", FEW_AT_MOST)
    monkeypatch.setattr(substring_filter, "MAX_ROWS", FEW_AT_MOST)


@pytest.fixture
def many_rows(demo, scaled_down):
    """Three rounds over the e-mails, so that each value's rows lie between other values' (a
    page of two crosses values), in the log and in the assisted sessions."""
    now = timezone.now()
    for round_number in range(3):
        for number, email in enumerate(EMAILS):
            admin = ADMINS[number % len(ADMINS)]
            record(
                action_group=ActionGroup.ADMIN,
                action="customer.update",
                outcome=Outcome.DENIED if number % 3 == 0 else Outcome.SUCCESS,
                admin_username=admin,
                customer=Customer(email=email),  # the log keeps the e-mail as it was
            )
            AssistedSession.objects.create(
                admin_username=admin,
                customer_email=email,
                customer_name="Someone",
                store_view_code="en" if number % 2 else "fr",
                website_name="Main Website",
                reason=f"ticket {round_number}{number:02d}" if number % 4 else "",
                started_at=now,
            )


def page_by_page(page, rows, conditions) -> list[list[int]]:
    """The ids of every page of two, following each page's "before" to the end."""
    pages, before = [], None
    while True:
        found, before = page(rows, conditions, before_id=before and str(before), size=2)
        pages.append([row["id"] for row in found])
        if before is None:
            return pages
        assert len(pages) < 50


def plain(rows, conditions, *, before_id, size):
    return keyset_page(filter_icontains(rows, conditions), before_id=before_id, size=size)


def contains(term, *columns):
    return substring_filter.Contains(term, columns)


SEARCH = ("customer_email", "admin_username", "reason")
# model, exact filters, partial filters, the way PostgreSQL finds them, how many rows match
AT_SCALE = [
    (ActionLogEntry, {}, [contains("ana.RARE@", "customer_email")], "few", 6),
    # An e-mail's domain is not asked of the index (search_values.index_probe), but matched.
    (ActionLogEntry, {}, [contains("ANA.rare@SCALE.test", "customer_email")], "few", 6),
    (ActionLogEntry, {}, [contains("ana.rare@common", "customer_email")], "none", 0),
    (ActionLogEntry, {}, [contains("zz1@common.scale", "customer_email")], "few", 3),
    (ActionLogEntry, {}, [contains("0%_odd@scale", "customer_email")], "few", 3),
    (ActionLogEntry, {}, [contains("middle", "customer_email")], "few", 9),
    (ActionLogEntry, {}, [contains("COMMON.scale", "customer_email")], "common", 18),
    (ActionLogEntry, {}, [contains("0%_", "customer_email")], "few", 3),
    (ActionLogEntry, {}, [contains("nobody", "customer_email")], "none", 0),
    (ActionLogEntry, {}, [contains("agent.A", "admin_username")], "few", 9),
    (ActionLogEntry, {}, [contains("GENT.", "admin_username")], "common", 30),
    (ActionLogEntry, {"outcome": "denied"}, [contains("middle", "customer_email")], "few", 3),
    (
        ActionLogEntry,
        {},
        [contains("common", "customer_email"), contains("agent.b", "admin_username")],
        "few",
        6,
    ),
    (
        ActionLogEntry,
        {},
        [contains("common", "customer_email"), contains("gent.", "admin_username")],
        "common",
        15,
    ),
    (AssistedSession, {}, [contains("RARE", "customer_email")], "few", 6),
    (AssistedSession, {"store_view_code": "en"}, [contains("zz", "customer_email")], "common", 9),
    (AssistedSession, {}, [contains("ticket 101", *SEARCH)], "few", 1),
    (AssistedSession, {}, [contains("ticket", *SEARCH)], "common", 27),
    (AssistedSession, {}, [contains("middle", *SEARCH)], "few", 9),
    (AssistedSession, {}, [contains("AGENT.c", *SEARCH)], "few", 6),
    (
        AssistedSession,
        {},
        [contains("middle", "customer_email"), contains("ticket 1", *SEARCH)],
        "few",
        2,
    ),
]


@pytest.mark.parametrize(("model", "exact", "partial", "way", "count"), AT_SCALE)
def test_the_log_pages_find_what_icontains_finds_page_after_page(
    model, exact, partial, way, count, many_rows
):
    """Every branch (few values, common part, nothing) lists the very rows plain icontains
    lists, newest first, and pages through them alike."""
    rows = model.objects.filter(**exact).values("id")
    expected = page_by_page(plain, rows, partial)

    with CaptureQueriesContext(connection) as statements:
        listed = page_by_page(substring_filter.newest_page, rows, partial)

    assert listed == expected
    assert sum(map(len, listed)) == count
    if connection.vendor == "postgresql":
        # How the page's rows are read (not the look-up of matching values before it):
        sql = " ".join(
            statement["sql"] for statement in statements if VALUES_TABLE not in statement["sql"]
        ).upper()
        # Few: the page's rows are fetched by id. Common: filtered with STRPOS, no id list.
        assert (" IN (" in sql) == (way == "few")
        assert ("STRPOS" in sql) == (way == "common") or way == "few"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the values table: PostgreSQL only")
def test_a_new_admin_and_e_mail_can_be_found_once_written(demo, jane):
    """The trigger on the (partitioned) log and on the sessions keeps every new value, written
    through the log's chained INSERT or by the ORM."""
    assert matching_values("customer_email", "first.time@", limit=5) == ([], False)
    record(
        action_group=ActionGroup.ADMIN,
        action="customer.update",
        admin_username="Newcomer",
        customer=Customer(email="First.Time@shop.test"),
    )
    AssistedSession.objects.create(
        admin_username="session-only",
        customer_email="session.only@shop.test",
        customer_name="Someone",
        store_view_code="en",
        website_name="Main Website",
    )

    assert matching_values("customer_email", "first.time@", limit=5) == (
        ["First.Time@shop.test"],
        False,
    )
    assert matching_values("admin_username", "NEWCOMER", limit=5) == (["Newcomer"], False)
    assert matching_values("customer_email", "session.only", limit=5)[0] == [
        "session.only@shop.test"
    ]
    assert matching_values("admin_username", "session-only", limit=5)[0] == ["session-only"]
    # Written again, kept once; "more" as soon as there are more than the limit.
    record(
        action_group=ActionGroup.ADMIN,
        action="customer.update",
        customer=Customer(email="First.Time@shop.test"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {VALUES_TABLE} WHERE value = 'First.Time@shop.test'"  # noqa: S608
        )
        assert cursor.fetchone() == (1,)
    values, more = matching_values("customer_email", "@shop.test", limit=1)
    assert len(values) == 1
    assert more


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions: PostgreSQL only")
def test_every_partition_of_the_log_keeps_the_values(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid "
            "AND t.tgname = 'audit_actionlogentry_search_values') FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'audit_actionlogentry'::regclass"
        )
        partitions = dict(cursor.fetchall())

    assert len(partitions) > 1
    assert all(partitions.values()), partitions


@pytest.mark.parametrize(
    ("term", "probe"),
    [
        ("customer777@example.com", "customer777@"),  # not the domain every address shares
        ("ana.rare@", "ana.rare@"),
        ("jo@rare.test", "jo@"),
        ("j@rare.test", "j@rare.test"),  # "j@" has no trigram: the index could not narrow
        ("@rare.test", "@rare.test"),
        ("dupont", "dupont"),
    ],
)
def test_the_index_is_asked_for_an_e_mails_local_part(term, probe):
    assert index_probe(term) == probe


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
@pytest.mark.parametrize("column", ["admin_username", "customer_email"])
def test_the_values_are_looked_up_through_their_trigram_index(db, column):
    sql = (
        f"SELECT value FROM {VALUES_TABLE} WHERE kind = '{column}' "  # noqa: S608
        "AND upper(value) LIKE upper(%s) AND strpos(upper(value), upper(%s)) > 0 LIMIT 201"
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # On a table this small the btree's ordered scan can be priced lower: rule it out too.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute("EXPLAIN " + sql, ["%dupont@%", "dupont@example.com"])
        shown = "\n".join(row[0] for row in cursor.fetchall())

    assert f"{VALUES_TABLE}_{column}_trgm" in shown


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans: PostgreSQL only")
def test_few_values_are_read_through_the_btree_and_a_common_part_by_the_primary_key(
    many_rows,
):
    """Each value's newest rows through (customer_email, -id); a common part never through a
    trigram index of the log (its posting lists are what made a rare part slow)."""
    rows = ActionLogEntry.objects.values("id")
    for term, index in (("middle", "audit_customer_id"), ("common.scale", "pkey")):
        with CaptureQueriesContext(connection) as statements:
            substring_filter.newest_page(
                rows, [contains(term, "customer_email")], before_id=None, size=2
            )
        shown = plan_of(statements[1]["sql"])
        assert index in shown
        assert "trgm" not in shown


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())
