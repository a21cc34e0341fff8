"""`make bench BENCH_ARGS=--own-postgres`: a PostgreSQL server of the bench's own.

The page cache (engage/core/page_cache.py) keys pages on pg_current_snapshot(), which moves
with every transaction that writes in any database of the server. On a PostgreSQL server
shared with other work (test suites, other programs), their writes make Engage's cached
pages miss, and the bench measures them as much as Engage. This starts a server for the
run alone: same PostgreSQL version and default settings as Debian's cluster, its files in
a temporary folder, listening on 127.0.0.1 only, on a free port; stopped and removed at the
end. The CPU is still shared with whatever else runs on the machine.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

LOOPBACK = "127.0.0.1"


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: int(path.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise SystemExit("--own-postgres needs PostgreSQL's server programs (Debian: postgresql)")


def _as_server_user() -> dict:
    """PostgreSQL refuses to run as root: then its programs run as the `postgres` account."""
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam("postgres")
    return {"user": account.pw_uid, "group": account.pw_gid}


@contextmanager
def own_postgres(url, port: int):
    """`url` moved to a new server on `port`, for the length of the `with`."""
    bindir, user = _bindir(), _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="engage-bench-postgres-"))
    data = folder / "data"
    if user:
        os.chown(folder, user["user"], user["group"])

    def server_program(*arguments: str) -> None:
        subprocess.run([str(bindir / arguments[0]), *arguments[1:]],  # noqa: S603
                       check=True, capture_output=True, text=True, cwd=folder, **user)

    try:
        server_program("initdb", "-D", str(data), "-U", "postgres", "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        server_program("pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w",
                       "-o", f"-p {port} -c listen_addresses={LOOPBACK} -k {folder}", "start")
    except subprocess.CalledProcessError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit(f"could not start a PostgreSQL server of our own: "
                         f"{error.stderr or error.stdout}") from None
    try:
        yield url.set(host=LOOPBACK, port=port)
    finally:
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],  # noqa: S603
                       capture_output=True, cwd=folder, **user)
        shutil.rmtree(folder, ignore_errors=True)
