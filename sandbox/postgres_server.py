"""`ThrowawayPostgres`: a PostgreSQL server of this machine's own binaries, in a temporary
directory, for the tests and the benchmark (`DATABASE_URL=postgresql://…` against a real
server, with nothing to set up by hand).

It runs from a temp directory on a free port on 127.0.0.1 with trust authentication and is
removed when the block ends. PostgreSQL refuses to run as root, so where this runs as root
the server runs as an unprivileged user (`postgres` where the Debian package made it, else
one created for this). `durable=False` (the tests) switches fsync off: nothing there is about
power cuts, and the suite stays quick; the benchmark keeps it on, as a real server has it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

DEBIAN_PACKAGE = "postgresql-15"
SEARCHED = ("/usr/lib/postgresql/*/bin",)
SERVICE_USER = "shop-bot-pg"  # made where there is no `postgres` user and we are root
SUPERUSER = "bot"


class PostgresUnavailable(RuntimeError):
    """This machine has no PostgreSQL server binaries."""


def find_binaries() -> Path:
    """The directory with initdb and pg_ctl, newest version first."""
    for pattern in SEARCHED:
        found = sorted(Path("/").glob(pattern.lstrip("/")), reverse=True)
        for directory in found:
            if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
                return directory
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) on this machine: install the Debian "
        f"package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE})"
    )


@dataclass
class ThrowawayPostgres:
    """`with ThrowawayPostgres() as server:` ... `server.new_database()` gives a URL."""

    durable: bool = False
    port: int = 0
    directory: Path | None = None
    _user: str | None = None
    _databases: int = 0

    def __enter__(self) -> ThrowawayPostgres:
        binaries = find_binaries()
        self._user = _service_user()
        # Under /tmp when the server runs as another user: TMPDIR may be a directory only
        # we may enter.
        self.directory = Path(
            tempfile.mkdtemp(prefix="shop-bot-pg-", dir="/tmp" if self._user else None)
        )
        if self._user is not None:
            record = pwd.getpwnam(self._user)
            os.chown(self.directory, record.pw_uid, record.pw_gid)
        self.port = _free_port()
        data = self.directory / "data"
        self._run(
            binaries / "initdb",
            f"--pgdata={data}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.directory}",
            "-c max_connections=200",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        try:
            self._run(
                binaries / "pg_ctl",
                "start",
                "--wait",
                f"--pgdata={data}",
                f"--log={self.directory / 'server.log'}",
                "-o",
                " ".join(options),
            )
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise
        self._binaries = binaries
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self.directory is not None
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(
                self._binaries / "pg_ctl",
                "stop",
                "--wait",
                "--mode=immediate",
                f"--pgdata={self.directory / 'data'}",
            )
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "shop") -> str:
        """A new, empty database; its URL."""
        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def log(self) -> str:
        """The server's log (for a failing test's message)."""
        assert self.directory is not None
        path = self.directory / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _run(self, *command: object) -> None:
        arguments = [str(part) for part in command]
        completed = subprocess.run(
            arguments,
            user=self._user,
            cwd=self.directory,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise subprocess.CalledProcessError(
                completed.returncode, arguments, completed.stdout, completed.stderr
            )


def _service_user() -> str | None:
    """Who the server runs as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=True,
        capture_output=True,
    )
    return SERVICE_USER


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
