"""Fill a PostgreSQL database with synthetic assisted sessions and action log entries, for the
scale benchmarks (benchmarks/bench_audit.py). Never on a database that holds real data:

    manage.py generate_audit_data --sessions 1000000 --actions 10000000 --days 365

Sessions and entries are spread evenly over the last ``--days`` days (a year by default), so a
partitioned log (shopassist/audit/partitions.py) has a dozen months to prune and to search; the
month partitions they need are created first. Rows are produced by generate_series inside
PostgreSQL (minutes, not hours). Synthetic entries carry placeholder hashes, so
`verify_audit_log` reports them as broken: that database is for measuring, not auditing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from shopassist.audit.models import CHAINS
from shopassist.audit.partitions import ensure_partitions_for_span
from shopassist.audit.search_values import VALUES_TABLE

ADMINS = ["support", "admin", "agent1", "agent2", "agent3", "agent4", "agent5", "agent6"]
VIEWS = ["en", "fr", "ko", "zh-hant"]
REASONS = ["closed_by_admin", "idle_timeout", "max_duration", "consent_revoked", "terminated"]
CUSTOMERS = 200_000  # the e-mails customer0@example.com … customer199999@example.com
ACTIONS = ["cart.add", "cart.update", "cart.remove", "address.update", "order.placed", "request"]


def _array(values):
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


class Command(BaseCommand):
    help = "Generate synthetic assisted sessions and action log entries (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=1_000_000)
        parser.add_argument("--actions", type=int, default=10_000_000)
        parser.add_argument("--customers", type=int, default=CUSTOMERS)
        parser.add_argument("--days", type=int, default=365, help="the span of the entries")

    def handle(self, *args, sessions, actions, customers, days, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_audit_data runs on PostgreSQL only.")
        span = days * 86400  # seconds
        with transaction.atomic(), connection.cursor() as cursor:
            ensure_partitions_for_span(cursor, days=days)
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM login_as_customer_assistedsession")
            first_session = cursor.fetchone()[0] + 1
            self.stdout.write(f"Inserting {sessions:,} assisted sessions…")
            cursor.execute(
                f"""
                INSERT INTO login_as_customer_assistedsession
                    (id, admin_id, admin_username, customer_id, customer_email, customer_name,
                     store_view_id, store_view_code, website_name, reason, created_at,
                     started_at, ended_at, end_reason, expires_at, ip_address, user_agent,
                     admin_session_hash, mode, consent_basis, action_count)
                SELECT s, NULL, ({_array(ADMINS)})[1 + s %% {len(ADMINS)}], NULL,
                       'customer' || (s %% %s) || '@example.com', 'Customer ' || (s %% %s),
                       NULL, ({_array(VIEWS)})[1 + s %% {len(VIEWS)}], 'Main Website',
                       CASE WHEN s %% 5 = 0 THEN 'ticket ' || s ELSE '' END,
                       now() - (%s - s) * %s * interval '1 second',
                       now() - (%s - s) * %s * interval '1 second',
                       now() - (%s - s) * %s * interval '1 second' + interval '10 minutes',
                       ({_array(REASONS)})[1 + s %% {len(REASONS)}], NULL, '127.0.0.1',
                       'bench', '', CASE WHEN s %% 10 = 3 THEN 'view_only' ELSE 'full' END,
                       CASE WHEN s %% 7 = 0 THEN 'code' ELSE 'standing' END, %s
                FROM generate_series(%s, %s) AS s
                """,
                [
                    customers,
                    customers,
                    first_session + sessions,
                    span / sessions,
                    first_session + sessions,
                    span / sessions,
                    first_session + sessions,
                    span / sessions,
                    max(1, actions // sessions),  # each session's entries (below)
                    first_session,
                    first_session + sessions - 1,
                ],
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('login_as_customer_assistedsession', 'id'),"
                " (SELECT MAX(id) FROM login_as_customer_assistedsession))"
            )
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audit_actionlogentry")
            first_entry = cursor.fetchone()[0] + 1
            cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_chainhead")
            base_seq = cursor.fetchone()[0] + 1
            self.stdout.write(f"Inserting {actions:,} action log entries…")
            per_session = max(1, actions // sessions)
            cursor.execute(
                f"""
                INSERT INTO audit_actionlogentry
                    (id, chain, seq, prev_hash, entry_hash, created_at, action_group, action,
                     outcome, channel, admin_id, admin_username, customer_id, customer_email,
                     store_view_code, assisted_session_id, target_type, target_id, details,
                     ip_address, user_agent, session_hash)
                SELECT e, e %% {CHAINS}, %s + e / {CHAINS}, repeat('0', 64),
                       encode(sha256(e::text::bytea), 'hex'),
                       now() - (%s - e) * %s * interval '1 second', 'login_as_customer',
                       ({_array(ACTIONS)})[1 + e %% {len(ACTIONS)}],
                       CASE WHEN e %% 50 = 0 THEN 'denied' ELSE 'success' END, 'web', NULL,
                       ({_array(ADMINS)})[1 + (%s + e / %s) %% {len(ADMINS)}], NULL,
                       'customer' || ((%s + e / %s) %% %s) || '@example.com',
                       ({_array(VIEWS)})[1 + e %% {len(VIEWS)}], %s + (e - %s) / %s, '', '',
                       jsonb_build_object('sku', 'SA-BAG-' || (e %% 40), 'qty', 1 + e %% 3),
                       '127.0.0.1', 'Mozilla/5.0 (bench)',
                       encode(sha256(('s' || (%s + (e - %s) / %s))::bytea), 'hex')
                FROM generate_series(%s, %s) AS e
                """,
                [
                    base_seq,
                    first_entry + actions,
                    span / actions,
                    first_session,
                    per_session,
                    first_session,
                    per_session,
                    customers,
                    first_session,
                    first_entry,
                    per_session,
                    first_session,
                    first_entry,
                    per_session,
                    first_entry,
                    first_entry + actions - 1,
                ],
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_actionlogentry', 'id'),"
                " (SELECT MAX(id) FROM audit_actionlogentry))"
            )
            cursor.execute(
                """UPDATE audit_chainhead h
                   SET seq = m.seq, last_hash = m.hash, last_created_at = m.created_at
                   FROM (SELECT DISTINCT ON (chain) chain, seq, entry_hash AS hash, created_at
                         FROM audit_actionlogentry ORDER BY chain, seq DESC) m
                   WHERE h.chain = m.chain"""
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE login_as_customer_assistedsession")
            cursor.execute("ANALYZE audit_actionlogentry")
            # Filled by the triggers faster than autovacuum looks: without statistics the
            # partial filters' look-up of a common part reads the trigram index whole.
            cursor.execute(f"ANALYZE {VALUES_TABLE}")
        self.stdout.write(self.style.SUCCESS("Done."))
