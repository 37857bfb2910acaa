"""Whether a long-running command bin/readme_commands.py started from README.md is up: the web server answers (in
Dutch and English, with its stylesheet), the Celery worker answers a ping, beat has written its schedule. Each check
returns None when it is, else what is still missing; a wrong answer fails at once with the process's last output.
Standard library only.
"""

import http.client
import json
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from readme_blocks import ROOT, Command, Failure
from readme_scratch import get, heading


@dataclass
class Background:
    kind: str  # web, worker or beat
    command: Command
    process: subprocess.Popen
    log: Path


def fail_with_log(background: Background, message: str) -> NoReturn:
    tail = background.log.read_text(errors="replace").splitlines()[-40:]
    raise Failure(
        f"README.md:{background.command.line}: `{background.command.text}` {message}; its last output:\n"
        + "\n".join("    " + line for line in tail)
    )


def web_answers(background: Background, environment: dict[str, str], port: int) -> str | None:
    """None when the web server answers /healthz with the database (and the broker) ok and serves the login page in
    Dutch and English with its stylesheet; else what is still wrong. Fails at once on a wrong answer."""
    hosts = [host for host in environment.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    headers = {"Host": hosts[0].strip() if hosts else "127.0.0.1", "Accept-Language": "nl"}
    if environment.get("BEHIND_PROXY", "").lower() in ("true", "1", "yes", "on"):
        headers["X-Forwarded-Proto"] = "https"  # what the proxy in front would add
    try:
        status, body = get(port, "/healthz", headers)
        if status != 200:
            return f"/healthz answered {status}"
        state = json.loads(body)
        broker = "ok" if environment.get("REDIS_URL") else "not configured"
        if state != {"database": "ok", "broker": broker}:
            return f"/healthz answered {state}"
        status, body = get(port, "/accounts/login/", headers)
    except (OSError, ValueError, http.client.HTTPException) as error:
        return f"no answer ({error})"
    page = body.decode(errors="replace")
    if status != 200:
        fail_with_log(background, f"answered {status} for the login page")
    _, english = get(port, "/accounts/login/", {**headers, "Accept-Language": "en"})
    if heading(page) == heading(english.decode(errors="replace")):
        fail_with_log(background, "served the same login page in Dutch and English (no compiled catalogues?)")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+\.css)"', page)
    if not stylesheet:
        fail_with_log(background, "served a login page without a stylesheet")
    status, _ = get(port, stylesheet.group(1), headers)
    if status != 200:
        fail_with_log(background, f"answered {status} for {stylesheet.group(1)}")
    return None


def worker_answers(background: Background, environment: dict[str, str]) -> str | None:
    """None when the Celery worker is ready and answers a ping."""
    if " ready." not in background.log.read_text(errors="replace"):
        return "not ready yet"  # cheaper to wait for than a ping, which loads Django each time
    words = shlex.split(background.command.text)
    app = words[words.index("-A") + 1] if "-A" in words else "config"
    result = subprocess.run(
        [words[0], "-A", app, "inspect", "ping", "--timeout", "3"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    return None if result.returncode == 0 else "no answer to `celery inspect ping`"


def beat_runs(background: Background, temporary: Path) -> str | None:
    """None when beat has started and written its schedule file (moved to ``temporary``)."""
    if not list(temporary.glob("celerybeat-schedule*")):
        return "no schedule file yet"
    if "beat: Starting" not in background.log.read_text(errors="replace"):
        return "not started yet"
    return None
