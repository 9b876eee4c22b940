"""The server side of the HTTP benchmark: the environments of a configuration (setup and
production-like server), the database preparation (migrate, load_demo, seed.py, collectstatic),
PostgreSQL and Redis housekeeping, and gunicorn in its own process group."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

from client import HttpClient
from harness import (
    CUSTOMER_EMAIL,
    HERE,
    LAC_STAFF,
    PRODUCT_SKU,
    PYTHON,
    ROOT,
    VENV_BIN,
    BenchError,
)

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/shopassist_httpbench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
KEY_PREFIX = "httpbench"

# --- processes ----------------------------------------------------------------------------
_servers: list[Server] = []


def run(cmd, env, what, timeout=600) -> str:
    """Run a command to completion; raise BenchError with its output if it fails."""
    try:
        done = subprocess.run(  # noqa: S603 - our own commands
            cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{what}: timed out after {timeout} s") from exc
    if done.returncode != 0:
        raise BenchError(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group (so stopping it stops every worker)."""

    def __init__(self, env, log_path: Path, workers: int, worker_class: str, threads: int):
        self.env, self.log_path = env, log_path
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        for _attempt in range(3):
            self.port = free_port()
            cmd = [
                str(VENV_BIN / "gunicorn"),
                "shopassist.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--threads",
                str(self.threads),
                "--backlog",
                "256",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ]
            log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the child
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                cmd,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()
            _servers.append(self)
            if self._wait_ready():
                return
            self.stop()
        raise BenchError(f"gunicorn did not start; its log:\n{self.log_tail()}")

    def _wait_ready(self, timeout=60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                response = HttpClient(self.port).request("GET", "/healthz")
                if response.status == 200:
                    # Every worker must be up before measuring: a few more requests.
                    time.sleep(0.5)
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def log_tail(self, lines=40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.process = None
        if self in _servers:
            _servers.remove(self)


def stop_all_servers() -> None:
    for server in list(_servers):
        server.stop()


# --- environments and preparation -------------------------------------------------------------
SCRUB = (
    "DATABASE_URL",
    "REDIS_URL",
    "PAGE_CACHE_REDIS_URL",
    "CACHE_KEY_PREFIX",
    "PYTEST_XDIST_WORKER",
    "SHOPASSIST_ENV",
    "SHOPASSIST_PAGE_CACHE",
    "SHOPASSIST_PAGE_CACHE_HEADER",
    "SHOPASSIST_PAGE_CACHE_TIMEOUT",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "DB_POOL_MIN",
    "DB_POOL_MAX",
    "EMAIL_BACKEND",
    "LOG_LEVEL",
)


def environments(config: str, var_dir: Path, args) -> tuple[dict, dict]:
    """(setup environment, server environment) of a configuration."""
    base = {k: v for k, v in os.environ.items() if k not in SCRUB}
    base["DJANGO_SETTINGS_MODULE"] = "shopassist.settings"
    base["SHOPASSIST_VAR_DIR"] = str(var_dir)
    base["PYTHONDONTWRITEBYTECODE"] = "1"
    if config == "pg":
        base["DATABASE_URL"] = args.pg_url
        base["REDIS_URL"] = args.redis_url
        base["CACHE_KEY_PREFIX"] = KEY_PREFIX
    server = dict(base)
    server.update(
        SHOPASSIST_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SHOPASSIST_PAGE_CACHE_HEADER="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
    )
    return base, server


def ensure_pg_database(url: str) -> str:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise BenchError(f"unexpected database name in {url!r}")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not exists.fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL at {admin_url} is not reachable: {exc}") from exc


def redis_clean(url: str) -> str:
    """Delete this benchmark's keys (prefix httpbench) from its Redis database; its version."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5)
        version = client.info("server")["redis_version"]
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        client.close()
        return version
    except redis.exceptions.ConnectionError as exc:
        raise BenchError(f"Redis at {url} is not reachable: {exc}") from exc


def compile_messages_if_needed(env) -> None:
    stale = [
        po
        for po in (ROOT / "shopassist" / "locale").glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        manage(["compilemessages", "--ignore", ".venv", "-v0"], env, "compilemessages")


def manage(arguments, env, what) -> str:
    return run([PYTHON, "manage.py", *arguments], env, what)


def seed(arguments, env, what) -> dict:
    out = run([PYTHON, str(HERE / "seed.py"), *arguments], env, what)
    return json.loads(out.strip().splitlines()[-1])


def prepare(config: str, setup_env: dict, server_env: dict, args) -> dict:
    manage(["migrate", "--no-input", "-v0"], setup_env, "migrate")
    manage(["load_demo"], setup_env, "load_demo")
    info = seed(
        [
            "prepare",
            "--products",
            str(args.miss_products),
            "--customer",
            CUSTOMER_EMAIL,
            "--sku",
            PRODUCT_SKU,
            "--staff",
            str(max(0, args.flow_clients - len(LAC_STAFF))),
        ],
        setup_env,
        "seed",
    )
    manage(["collectstatic", "--no-input", "-v0"], server_env, "collectstatic")
    return info
