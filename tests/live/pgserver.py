"""Start a throw-away PostgreSQL server from the installed binaries (as an unprivileged user when root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class Unavailable(Exception):
    """The server cannot be started here; the message is the skip reason."""


def pg16_bindir() -> Path | None:
    """PostgreSQL 16 (DSQL's version) from the ``pgserver`` wheel, when it is installed."""
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        bindir = Path(location) / "pginstall" / "bin"
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    return None


def find_bindir() -> Path | None:
    """The folder holding initdb and postgres: PostgreSQL 16 from the ``pgserver`` wheel, then PATH,
    pg_config --bindir, and /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    pg16 = pg16_bindir()
    if pg16 is not None:
        candidates.append(pg16)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
            if out:
                candidates.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass
    candidates.extend(Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user_prefix() -> tuple[list[str], int | None]:
    """Command prefix that drops root to 'nobody' (initdb and postgres refuse to run as root)."""
    if os.geteuid() != 0:
        return [], None
    import pwd

    try:
        uid = pwd.getpwnam("nobody").pw_uid
    except KeyError:
        raise Unavailable("running as root and there is no 'nobody' user to run PostgreSQL as") from None
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [
            setpriv,
            "--reuid=nobody",
            "--regid=nogroup" if _has_group("nogroup") else "--regid=nobody",
            "--clear-groups",
            "--",
        ], uid
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "nobody", "--"], uid
    raise Unavailable("running as root and neither setpriv nor runuser is available to drop privileges")


def _reachable_by_others(folder: Path) -> bool:
    """True when every folder from / to ``folder`` lets other users through (the x bit)."""
    for part in [folder.resolve(), *folder.resolve().parents]:
        try:
            if not part.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


def _has_group(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


@dataclass
class PgServer:
    """A running server: TCP on 127.0.0.1:port, superuser ``admin``, trust auth."""

    bindir: Path
    datadir: Path
    port: int
    process: subprocess.Popen[bytes]
    root: Path

    def stop(self) -> None:
        """Stop the server and remove its files."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> PgServer:
    """initdb + postgres in a fresh temp folder; raise Unavailable with a reason when impossible."""
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable(
            "PostgreSQL server binaries (initdb, postgres) not found on PATH, via pg_config, "
            "or in /usr/lib/postgresql/*/bin"
        )
    prefix, uid = _as_user_prefix()
    root = Path(tempfile.mkdtemp(prefix="dsql-lint-pg-"))
    datadir = root / "data"
    if uid is not None:
        os.chown(root, uid, -1)
    os.chmod(root, 0o755)
    # DSQL_LINT_TEST_COPY_PG forces the copy, to test it where the original is reachable.
    if uid is not None and (not _reachable_by_others(bindir) or os.environ.get("DSQL_LINT_TEST_COPY_PG")):
        # The server runs as 'nobody', which cannot enter a private folder (a virtual environment
        # inside a mktemp -d clone): run a copy of the installation from the server's own folder.
        # The wheel's binaries find their bundled libraries through an RPATH relative to
        # themselves ($ORIGIN/../../../pgserver.libs): copy both, in the same layout.
        install = bindir.parent  # .../site-packages/pgserver/pginstall
        package = install.parent
        copy = root / "pg"
        shutil.copytree(install, copy / package.name / install.name, symlinks=True)
        libs = package.parent / f"{package.name}.libs"
        if libs.is_dir():
            shutil.copytree(libs, copy / libs.name, symlinks=True)
        os.chmod(copy, 0o755)
        bindir = copy / package.name / install.name / bindir.name
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    init = subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "admin",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-400:]}")
    port = _free_port()
    log = root / "server.log"
    log_fd = os.open(log, os.O_WRONLY | os.O_CREAT, 0o644)
    if uid is not None:
        os.chown(log, uid, -1)
    process = subprocess.Popen(
        [
            *prefix,
            str(bindir / "postgres"),
            "-D",
            str(datadir),
            "-p",
            str(port),
            "-k",
            str(root),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "max_connections=40",
        ],
        stdout=log_fd,
        stderr=log_fd,
        env=env,
        cwd=root,
    )
    os.close(log_fd)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")[-400:]
            shutil.rmtree(root, ignore_errors=True)
            raise Unavailable(f"postgres exited at start: {text}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
            ready = (
                subprocess.run(
                    [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True, timeout=10
                )
                if (bindir / "pg_isready").is_file()
                else None
            )
            if ready is None or ready.returncode == 0:
                return PgServer(bindir, datadir, port, process, root)
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    shutil.rmtree(root, ignore_errors=True)
    raise Unavailable("postgres did not accept connections within 30 seconds")
