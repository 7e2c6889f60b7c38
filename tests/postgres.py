"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away cluster, loopback only.

The server is started by the test session itself (initdb + pg_ctl in a temporary folder), so
the suite needs nothing but the ``postgresql`` package that ``make system`` installs; a
missing package fails the run loudly instead of skipping.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine

_counter = itertools.count()


def _bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    assert found, "PostgreSQL is part of the set-up (the Debian package postgresql)"
    return str(found[-1])


def _as_server_user(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root: run the server as Debian's postgres account then.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres_server(root: Path) -> Iterator[str]:
    """Start a private cluster under ``root``; yield a base URL (no database name)."""
    data, sock = root / "pgdata", root / "pgsock"
    for d in (data, sock):
        d.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(d, "postgres", "postgres")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    subprocess.run(_as_server_user([_bin("initdb"), "-D", str(data), "-U", user, "--auth=trust",
                                    "-E", "UTF8", "--no-sync"]), check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off"
    subprocess.run(_as_server_user([_bin("pg_ctl"), "-D", str(data), "-o", opts, "-w",
                                    "-l", str(root / "server.log"), "start"]), check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_server_user([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       check=False, stdout=subprocess.DEVNULL)  # fmt: skip


def fresh_database(base_url: str) -> str:
    """A new empty database on the server: each test gets its own."""
    name = f"t{os.getpid()}_{next(_counter)}"
    engine = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return f"{base_url}/{name}"
