"""The servers of the fault tests, each of them our own: a PostgreSQL cluster (initdb in a
temporary directory), a redis-server and gunicorn, all on free loopback ports.

Nothing here ever touches the machine's shared PostgreSQL (5432) or Redis (6379): every
command names our own data directory, port or process. Each server is registered as soon as
it starts; ``stop_all`` (run by the fixture's finalizer, ``atexit`` and SIGTERM/SIGHUP) stops
them and removes the directory. A run killed outright (SIGKILL) leaves an ``owner.pid`` file
behind: the next run stops that run's servers and removes its directory (``sweep_leftovers``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("SHOPASSIST_FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
TMP_PREFIX = "shopassist-faults-"
ROOT = Path(__file__).resolve().parents[2]


class ServerError(Exception):
    """A server did not start or stop as asked: the run stops with this message."""


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when it is free on 127.0.0.1, else any free port."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise ServerError("no free loopback port")


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def run(cmd, *, env=None, timeout=120, what=None, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(  # noqa: S603 - our own commands
        [str(part) for part in cmd],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise ServerError(
            f"{what or cmd[0]} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return done


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the run's directory and its cleanup ---
_cleanups: list = []  # callables, run last-registered first


def register_cleanup(func) -> None:
    _cleanups.append(func)


def stop_all() -> None:
    while _cleanups:
        func = _cleanups.pop()
        with contextlib.suppress(Exception):
            func()


def _on_signal(signum, frame):
    stop_all()
    raise SystemExit(128 + signum)


def install_handlers() -> None:
    atexit.register(stop_all)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)


def make_run_dir() -> Path:
    """A fresh temporary directory, marked with our pid for ``sweep_leftovers``."""
    path = Path(tempfile.mkdtemp(prefix=TMP_PREFIX))
    path.chmod(0o755)  # the postgres OS user must reach its data directory inside
    (path / "owner.pid").write_text(str(os.getpid()))
    register_cleanup(lambda: shutil.rmtree(path, ignore_errors=True))
    return path


def sweep_leftovers() -> list[str]:
    """Stop the servers of earlier runs whose process is gone (killed outright) and remove
    their directories; return what was swept."""
    swept = []
    for path in Path(tempfile.gettempdir()).glob(TMP_PREFIX + "*"):
        owner = path / "owner.pid"
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if _process_alive(pid):
            continue
        data = path / "pg" / "data"
        if (data / "postmaster.pid").exists():
            run(
                [*_as_postgres(), PG_BIN / "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w"],
                check=False,
                timeout=30,
            )
        for pid_file in path.glob("*.pid"):
            if pid_file.name == "owner.pid":
                continue
            with contextlib.suppress(OSError, ValueError, ProcessLookupError):
                os.killpg(int(pid_file.read_text()), signal.SIGKILL)
        shutil.rmtree(path, ignore_errors=True)
        swept.append(str(path))
    return swept


def _as_postgres() -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres OS user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _chown_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


# --- PostgreSQL ---
class PostgresCluster:
    """A cluster of our own: initdb into the run directory, one port, loopback only.

    fsync is off: the tests kill processes, never the machine, and the operating system keeps
    every write a killed server made (crash recovery replays the WAL from its page cache)."""

    def __init__(self, run_dir: Path, port: int):
        self.port = port
        self.base = run_dir / "pg"
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self.restarts = 0

    def _pg(self, tool: str, *args, timeout=60, check=True):
        return run([*_as_postgres(), PG_BIN / tool, *args], timeout=timeout, what=tool, check=check)

    def init(self) -> None:
        for tool in ("initdb", "pg_ctl", "postgres"):
            if not (PG_BIN / tool).exists():
                raise ServerError(
                    f"{PG_BIN / tool} is missing: install PostgreSQL 15's server binaries "
                    "(apt-get install postgresql-15) or set SHOPASSIST_FAULTS_PG_BIN"
                )
        self.base.mkdir()
        _chown_postgres(self.base)
        self._pg(
            "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
            "--no-instructions",
        )
        options = {
            "port": self.port,
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": self.base,
            "fsync": "off",
            "full_page_writes": "off",
            "max_connections": 100,
            "log_min_messages": "warning",
        }
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# shopassist fault tests\n")
            for name, value in options.items():
                conf.write(f"{name} = '{value}'\n")
        register_cleanup(self.stop_for_good)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._pg("pg_ctl", "start", "-D", self.data, "-l", self.log, "-w", "-t", "60")

    def stop(self, mode: str = "fast") -> None:
        """fast: a clean shutdown (sessions disconnected); immediate: a crash (no checkpoint,
        recovery on the next start)."""
        self._pg("pg_ctl", "stop", "-D", self.data, "-m", mode, "-w", "-t", "60")

    def restart(self) -> None:
        """``pg_ctl restart`` forgets the log file (the new server would write to our pipe):
        a fast stop, then a start."""
        self.stop("fast")
        self.start()
        self.restarts += 1

    def stop_for_good(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w", check=False)

    def running(self) -> bool:
        return self._pg("pg_ctl", "status", "-D", self.data, check=False).returncode == 0

    def sql(self, database: str, query: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def log_tail(self, lines=30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# --- Redis ---
class RedisServer:
    """redis-server of our own, no persistence of its own accord (``--save ""``, no AOF).

    ``stop(keep_data=True)`` writes a snapshot first (SAVE) and the next start loads it: Redis
    comes back *with its data*, as after a network partition or a failover to a replica — the
    case in which a lost invalidation would serve an old page. ``kill`` loses everything."""

    def __init__(self, run_dir: Path, port: int):
        self.port = port
        self.dir = run_dir / "redis"
        self.dir.mkdir()
        self.log = self.dir / "redis.log"
        self.pid_file = run_dir / "redis.pid"
        self.process: subprocess.Popen | None = None
        register_cleanup(self._kill_quietly)

    def start(self) -> None:
        if not Path(REDIS_SERVER).exists():
            raise ServerError("redis-server is missing: apt-get install redis-server")
        cmd = [
            REDIS_SERVER,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.dir),
            "--dbfilename",
            "dump.rdb",
            "--logfile",
            str(self.log),
            "--daemonize",
            "no",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            cmd, cwd=self.dir, stdin=subprocess.DEVNULL, start_new_session=True
        )
        self.pid_file.write_text(str(self.process.pid))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"redis-server exited: {self.log_tail()}")
            if self.ping():
                return
            time.sleep(0.05)
        raise ServerError(f"redis-server did not answer: {self.log_tail()}")

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def ping(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.exceptions.RedisError:
            return False

    def stop(self, *, keep_data: bool) -> None:
        client = self.client()
        if keep_data:
            client.save()
        with contextlib.suppress(Exception):
            client.shutdown(nosave=True)
        self._wait_exit()
        if not keep_data:
            (self.dir / "dump.rdb").unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL: the data in memory is gone (no snapshot, no AOF)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
        self._wait_exit()
        (self.dir / "dump.rdb").unlink(missing_ok=True)

    def _wait_exit(self) -> None:
        if self.process is not None:
            self.process.wait(timeout=20)
            self.process = None
        deadline = time.monotonic() + 10
        while port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def _kill_quietly(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines=20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# --- gunicorn ---
class Gunicorn:
    """gunicorn in its own process group: stopping it stops every worker."""

    def __init__(self, run_dir: Path, env: dict, port: int, workers: int):
        self.env, self.port, self.workers = env, port, workers
        self.log = run_dir / "gunicorn.log"
        self.pid_file = run_dir / "gunicorn.pid"
        self.process: subprocess.Popen | None = None
        register_cleanup(self.stop)

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        cmd = [
            str(gunicorn),
            "shopassist.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                cmd,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(str(self.process.pid))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited:\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers and port_open(self.port):
                return
            time.sleep(0.1)
        raise ServerError(f"gunicorn did not start:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The master's children (its workers), from /proc."""
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def kill_workers(self) -> list[int]:
        """SIGKILL every worker (the master starts new ones)."""
        pids = self.worker_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return pids

    def wait_workers(self, old: list[int], timeout=30) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) == self.workers and not set(pids) & set(old):
                return pids
            time.sleep(0.1)
        raise ServerError(f"gunicorn did not replace its killed workers:\n{self.log_tail()}")

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

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines=40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])
