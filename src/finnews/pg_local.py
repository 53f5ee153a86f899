"""A throw-away PostgreSQL server on loopback, for a DuckLake catalog on one machine.

Debian's `postgresql` package (`make browser` installs it, as root) provides the binaries; this
module initialises a cluster in a folder of its own, starts it on 127.0.0.1 on a free port
(no Unix socket elsewhere, nothing listens beyond loopback), creates a database and stops
it again. PostgreSQL refuses to run as root: as root the server runs as the `postgres`
user, in a folder owned by it. The tests use it for the PostgreSQL-catalog DuckLake; a
developer can use it the same way:

    python -m finnews.pg_local start /tmp/finnews-pg     # prints the libpq connection string
    python -m finnews.pg_local stop /tmp/finnews-pg

Authentication is `trust` for loopback connections only: a local test cluster, never a
production catalog (that one is an operator's PostgreSQL, named in FINNEWS_LAKE_CATALOG).
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "finnews_lake"
DB_USER = "finnews"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start."""


def bin_dir() -> Path:
    """The folder with initdb/pg_ctl: PATH first, then Debian's /usr/lib/postgresql/<v>/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if versions:
        return Path(versions[-1]).parent
    raise PostgresUnavailable(
        "PostgreSQL binaries (initdb, pg_ctl) not found: install Debian's `postgresql` "
        "(make browser, as root)"
    )


@dataclass(frozen=True)
class LocalPostgres:
    data_dir: Path
    port: int

    @property
    def dsn(self) -> str:
        """libpq connection string of the database (what follows `ducklake:postgres:`)."""
        return self.dsn_of(DB_NAME)

    def dsn_of(self, database: str) -> str:
        return f"dbname={database} host=127.0.0.1 port={self.port} user={DB_USER}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    """As root, run `cmd` as the `postgres` user (the server will not run as root)."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root and `runuser` is missing")
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise PostgresUnavailable("running as root and there is no `postgres` user") from exc
    return [runuser, "-u", "postgres", "--", *cmd]


def _run(cmd: list[str], timeout: float = 120) -> None:
    proc = subprocess.run(
        _as_server_user(cmd), capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise PostgresUnavailable(
            f"{Path(cmd[0]).name} failed ({proc.returncode}): "
            f"{(proc.stderr or proc.stdout).strip()[-500:]}"
        )


def start(data_dir: Path, port: int | None = None, timeout: float = 60) -> LocalPostgres:
    """Initialise (once) and start a cluster in `data_dir` on 127.0.0.1, with database
    DB_NAME owned by DB_USER. Returns where it listens."""
    binaries = bin_dir()
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(data_dir, entry.pw_uid, entry.pw_gid)
        # The server user must reach the folder: every parent needs search permission.
        for parent in data_dir.parents:
            if parent.stat().st_mode & 0o001 == 0:
                raise PostgresUnavailable(
                    f"{parent} is not searchable by the postgres user: choose a folder "
                    "outside it (e.g. tempfile.mkdtemp())"
                )
    cluster = data_dir / "cluster"
    if not (cluster / "PG_VERSION").exists():
        _run([str(binaries / "initdb"), "-D", str(cluster), "-U", DB_USER, "--auth=trust",
              "--encoding=UTF8", "--no-instructions"])  # fmt: skip
    port = port or _free_port()
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -k {data_dir} -c fsync=off"
    _run([str(binaries / "pg_ctl"), "-D", str(cluster), "-o", options,
          "-l", str(data_dir / "server.log"), "-w", "-t", str(int(timeout)), "start"])  # fmt: skip
    server = LocalPostgres(data_dir, port)
    create_database(server, DB_NAME)
    (data_dir / "port").write_text(str(port))
    return server


def create_database(server: LocalPostgres, name: str) -> None:
    """Create database `name` (owned by DB_USER) unless it exists."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain database name: {name!r}")
    psql = str(bin_dir() / "psql")
    proc = subprocess.run(
        _as_server_user([psql, "-h", "127.0.0.1", "-p", str(server.port), "-U", DB_USER,
                         "-d", "postgres", "-tAc",
                         f"select 1 from pg_database where datname = '{name}'"]),
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    if proc.stdout.strip() != "1":
        _run([str(bin_dir() / "createdb"), "-h", "127.0.0.1", "-p", str(server.port),
              "-U", DB_USER, name])  # fmt: skip


def stop(data_dir: Path, timeout: float = 60) -> None:
    """Stop the cluster in `data_dir` (fast shutdown: open sessions are ended)."""
    cluster = data_dir.resolve() / "cluster"
    if not (cluster / "postmaster.pid").exists():
        return
    _run([str(bin_dir() / "pg_ctl"), "-D", str(cluster), "-m", "fast", "-w",
          "-t", str(int(timeout)), "stop"])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            print(start(args.data_dir, args.port).dsn)
        else:
            stop(args.data_dir)
    except PostgresUnavailable as exc:
        print(f"pg_local: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
