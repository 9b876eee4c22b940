"""An entry is linked to its chain in its own INSERT (shopassist/audit/chained_insert.py): one
statement per entry, the digest entry_digest computes (so verify_audit_log verifies it), the
head moved only with the entry, time order and seq order agreeing in a chain, and, on
PostgreSQL, writers of one chain queuing behind its head while other chains go on."""

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from shopassist.audit.chained_insert import LINKED
from shopassist.audit.models import CHAINS, ActionGroup, ActionLogEntry, ChainHead, Channel, Outcome
from shopassist.audit.verify import verify_chains
from shopassist.audit.writer import canonical_pieces, entry_digest, record

# What PostgreSQL can store in text and jsonb (no NUL, no lone surrogates).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)
DETAILS = st.dictionaries(TEXT | st.sampled_from(["created_at", "seq", '"seq":']), JSON, max_size=4)
TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


def entry_values(**overrides) -> dict:
    values = {
        "chain": 3,
        "action_group": "admin",
        "action": "test.entry",
        "outcome": "success",
        "channel": "web",
        "admin_id": 3,
        "admin_username": "support",
        "customer_id": None,
        "customer_email": "",
        "store_view_code": "",
        "assisted_session_id": None,
        "target_type": "",
        "target_id": "",
        "details": {},
        "ip_address": None,
        "user_agent": "",
        "session_hash": "",
    }
    return values | overrides


def head_of(chain: int) -> tuple[int, str]:
    head = ChainHead.objects.get(chain=chain)
    return head.seq, head.last_hash


def write(number: int = 0, *, chain: int = 3, **fields) -> ActionLogEntry:
    """An entry on ``chain`` (an admin entry's chain is its admin id's)."""
    entry = record(
        action_group=ActionGroup.ADMIN,
        action="test.chain",
        admin_id=chain + CHAINS,
        admin_username="chain-writer",
        details={"number": number},
        **fields,
    )
    assert entry.chain == chain
    return entry


# --- The canonical JSON in pieces (no database) ---------------------------------------------


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    details=DETAILS,
    username=TEXT,
    email=TEXT,
    user_agent=TEXT,
    session_hash=st.sampled_from(["", "ab" * 32]),
    created_at=TIMES,
    seq=st.integers(1, 2**62),
    prev_hash=st.sampled_from(["0" * 64, "f" * 64]),
)
def test_the_pieces_with_the_time_and_seq_spliced_in_hash_as_entry_digest(
    details, username, email, user_agent, session_hash, created_at, seq, prev_hash
):
    values = entry_values(
        details=details,
        admin_username=username,
        customer_email=email,
        user_agent=user_agent,
        session_hash=session_hash,
    )
    before, between, after = canonical_pieces(values)

    spliced = before + created_at.isoformat() + between + str(seq) + after
    digest = hashlib.sha256((prev_hash + spliced).encode()).hexdigest()

    assert digest == entry_digest(prev_hash, values | {"created_at": created_at, "seq": seq})


# --- One statement per entry, as stored -----------------------------------------------------


def test_an_entry_costs_one_statement_and_comes_back_as_stored(jane):
    ChainHead.objects.get_or_create(chain=3)
    seq, last_hash = head_of(3)

    with CaptureQueriesContext(connection) as queries:
        entry = record(  # every column a value of its own: none can land in another's place
            action_group=ActionGroup.LOGIN_AS_CUSTOMER,
            action="test.every_column",
            outcome=Outcome.DENIED,
            channel=Channel.API,
            admin_id=5,
            admin_username="support",
            customer=jane,
            store_view_code="fr",
            assisted_session_id=3 + 100 * CHAINS,
            target=jane,
            details={"number": 1},
            ip_address="192.0.2.7",
            user_agent="Firefox",
            session_hash="c" * 64,
        )

    assert len(queries) == 1, [query["sql"] for query in queries]
    stored = ActionLogEntry.objects.filter(pk=entry.pk).values().get()
    assert not entry._state.adding
    assert {name: getattr(entry, name) for name in stored} == stored
    given = [str(value) for name, value in stored.items() if name not in ("id", *LINKED)]
    assert len(set(given)) == len(given) - 1  # only target_id and customer_id are alike (Jane)
    assert (entry.chain, entry.seq, entry.prev_hash) == (3, seq + 1, last_hash)
    assert entry.entry_hash == entry_digest(stored["prev_hash"], stored)
    assert head_of(3) == (entry.seq, entry.entry_hash)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2031, 1, 1, 0, 0, 0, 0, tzinfo=UTC),  # isoformat() leaves out .000000
        datetime(2031, 1, 1, 0, 0, 1, 1, tzinfo=UTC),
        datetime(2031, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_the_time_is_hashed_as_isoformat_writes_it(moment):
    with time_machine.travel(moment, tick=False):
        entry = write(chain=5)

    assert entry.created_at == moment
    stored = ActionLogEntry.objects.filter(pk=entry.pk).values().get()
    assert stored["created_at"] == moment
    assert entry_digest(stored["prev_hash"], stored) == entry.entry_hash


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(details=DETAILS, username=TEXT.map(lambda text: text[:150]))
def test_any_entry_the_database_links_verifies(details, username):
    entry = record(
        action_group=ActionGroup.ADMIN,
        action="test.any",
        admin_id=7,
        admin_username=username,
        details=details,
    )

    stored = ActionLogEntry.objects.filter(pk=entry.pk).values().get()
    assert entry_digest(stored["prev_hash"], stored) == stored["entry_hash"] == entry.entry_hash
    assert verify_chains() is None


# --- The head moves with the entry, and only with it ----------------------------------------


@pytest.mark.django_db
def test_a_rolled_back_entry_leaves_the_head_unmoved():
    last = write(0, chain=6)
    count = ActionLogEntry.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = write(1, chain=6)
        assert head_of(6) == (rolled_back.seq, rolled_back.entry_hash)
        raise RuntimeError("the change being recorded failed")

    assert head_of(6) == (last.seq, last.entry_hash)
    assert ActionLogEntry.objects.count() == count
    following = write(2, chain=6)
    assert (following.seq, following.prev_hash) == (last.seq + 1, last.entry_hash)
    assert verify_chains() is None


@pytest.mark.django_db
def test_an_entry_is_never_earlier_than_the_previous_entry_of_its_chain():
    ahead = timezone.now() + timedelta(days=10)
    with time_machine.travel(ahead, tick=False):
        last = write(0, chain=9)

    with time_machine.travel(ahead - timedelta(minutes=5), tick=False):
        behind = write(1, chain=9)  # a writer whose clock read came before the last entry's
        elsewhere = write(0, chain=10)  # another chain, whose entries are all older

    assert last.created_at == ahead
    assert (behind.seq, behind.created_at) == (last.seq + 1, ahead)
    assert elsewhere.created_at == ahead - timedelta(minutes=5)  # the writer's clock
    assert ChainHead.objects.get(chain=9).last_created_at == ahead
    assert verify_chains() is None


# --- Concurrent writers (PostgreSQL) --------------------------------------------------------


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs concurrent connections with row locks; the database is {connection.vendor} "
            "(CI runs this on PostgreSQL)"
        )


def in_threads(*targets) -> list[threading.Thread]:
    def run(target):
        try:
            target()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    return threads


def wait_for_a_lock_wait(timeout=10.0) -> None:
    """Until a backend of this database waits for a lock (a writer queued behind a head)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no writer waited for the chain's head")


@pytest.mark.postgres
def test_concurrent_writers_of_a_chain_write_one_unbroken_chain(transactional_db):
    needs_postgresql()
    writers, each = 6, 25

    def writer(chain):
        def write_entries():
            for number in range(each):
                with transaction.atomic():  # each entry its own transaction, as a request's
                    write(number, chain=chain)

        return write_entries

    start = ChainHead.objects.filter(chain=4).values_list("seq", flat=True).first() or 0
    others = ActionLogEntry.objects.filter(chain__in=[8, 12]).count()

    threads = in_threads(*[writer(chain) for chain in [4] * writers + [8, 12]])
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    shared = list(ActionLogEntry.objects.filter(chain=4, seq__gt=start).order_by("seq"))
    assert [entry.seq for entry in shared] == list(range(start + 1, start + writers * each + 1))
    for previous, entry in zip(shared, shared[1:], strict=False):
        assert entry.prev_hash == previous.entry_hash  # no fork
        assert entry.created_at >= previous.created_at  # time order is seq order
    assert head_of(4) == (shared[-1].seq, shared[-1].entry_hash)
    assert ActionLogEntry.objects.filter(chain__in=[8, 12]).count() == others + 2 * each
    call_command("verify_audit_log")


@pytest.mark.postgres
def test_a_writer_queues_behind_its_chain_only(transactional_db):
    needs_postgresql()
    held, release = threading.Event(), threading.Event()
    written = {}

    def holds_chain_2():  # an entry on chain 2 in a transaction that is not over yet
        with transaction.atomic():
            written["holder"] = write(0, chain=2)
            held.set()
            release.wait(30)

    def writes(name, chain):
        def write_entry():
            written[name] = write(1, chain=chain)

        return write_entry

    (holder,) = in_threads(holds_chain_2)
    try:
        assert held.wait(10)
        (other_chain,) = in_threads(writes("other chain", 13))
        other_chain.join(timeout=10)
        assert "other chain" in written  # chain 13 did not wait for chain 2
        (same_chain,) = in_threads(writes("same chain", 2))
        wait_for_a_lock_wait()
        assert "same chain" not in written  # queued behind chain 2's open transaction
    finally:
        release.set()
        holder.join(timeout=10)
    same_chain.join(timeout=10)

    first, queued = written["holder"], written["same chain"]
    assert (queued.seq, queued.prev_hash) == (first.seq + 1, first.entry_hash)
    assert queued.created_at >= first.created_at
    call_command("verify_audit_log")
