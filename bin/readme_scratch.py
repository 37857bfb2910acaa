"""The scratch state bin/readme_commands.py runs README.md's commands on: a PostgreSQL database and a Redis
database of their own (``READMECI_DATABASE_URL``, ``READMECI_REDIS_URL``), created, dropped and emptied here, and
the plain HTTP request that probes a server it started. Standard library only.
"""

import http.client
import os
import re
import socket
import subprocess
from urllib.parse import urlsplit

from readme_blocks import Command, Failure, database_name, say

SCRATCH_DATABASE_URL = os.environ.get("READMECI_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helder_readme_ci")
SCRATCH_REDIS_URL = os.environ.get("READMECI_REDIS_URL", "redis://127.0.0.1:6379/15")


def creates_database(command: Command) -> bool:
    return bool(re.match(r"^(\S*/)?createdb(\s|$)", command.text))


def scratch_database(program: str, *options: str) -> None:
    """createdb or dropdb on the scratch database, connecting as its URL says."""
    url = urlsplit(SCRATCH_DATABASE_URL)
    command = [program, *options, "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    command += ["-U", url.username or "postgres", database_name(SCRATCH_DATABASE_URL)]
    environment = dict(os.environ, PGPASSWORD=url.password or os.environ.get("PGPASSWORD", ""))
    result = subprocess.run(command, env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode:
        raise Failure(f"{program} on the scratch database failed: {result.stderr.strip()}")


def create_scratch_database() -> None:
    say(f"(the section does not create its database: createdb {database_name(SCRATCH_DATABASE_URL)})")
    scratch_database("createdb")


def drop_scratch_database() -> None:
    scratch_database("dropdb", "--if-exists", "--force")


def empty_scratch_redis() -> None:
    """FLUSHDB on the scratch Redis database, spoken directly (no redis-cli or client library needed)."""
    url = urlsplit(SCRATCH_REDIS_URL)
    number = url.path.lstrip("/") or "0"
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=5) as connection:
        commands = [["SELECT", number], ["FLUSHDB"]]
        if url.password:
            commands.insert(0, ["AUTH", url.password])
        for words in commands:
            connection.sendall(
                f"*{len(words)}\r\n".encode() + b"".join(f"${len(w)}\r\n{w}\r\n".encode() for w in words)
            )
            reply = connection.recv(1024)
            if not reply.startswith(b"+"):
                raise Failure(f"Redis refused {words[0]}: {reply.decode(errors='replace').strip()}")


def heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return found.group(1).strip() if found else ""


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
