#!/usr/bin/env python3
"""Run the commands README.md gives for PostgreSQL and for production, in order, on a scratch database.

.ci/run calls this before the tests, so a README whose commands no longer work
as written fails CI. Usage, from anywhere (plain python3, standard library only):

    python3 bin/readme_commands.py [SECTION ...]      # default: every marked section

What it runs. A fenced ```sh block in README.md that follows an HTML comment
``<!-- ci: NAME -->`` belongs to section NAME; ``<!-- ci: NAME, new terminal -->``
starts a new terminal within it: the environment goes back to what it was when the
section began, so that block must set everything it needs itself. Sections run
in the order they appear; ``postgresql`` and ``production`` must exist. Inside a
block every line is a command (a trailing backslash continues it; comment
lines are skipped), run by bash with errexit, nounset and pipefail, from the
repository root, with stdin closed. The first command that fails stops the run
with its README line.

The environment starts as this process's own, minus every variable that
.env.example documents, so the README's ``export`` lines must set all that the
commands need. A checkout with a ``.env`` file is refused: the settings would
read it.

What it changes, and nothing else:

- ``export DATABASE_URL=…`` points at the scratch database
  (``READMECI_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/helder_readme_ci;
  its name must contain "readme"), ``createdb … NAME`` creates that database,
  a section without ``createdb`` gets that database created for it (the README
  leaves creating it to PostgreSQL's superuser, by hand),
  ``export REDIS_URL=…`` points at a scratch Redis database (``READMECI_REDIS_URL``,
  default redis://127.0.0.1:6379/15), ``export SECRET_KEY=…`` gets a fresh random key
  and ``export EMAIL_URL=…`` becomes consolemail:// (CI has no SMTP server).
- ``createsuperuser`` gets ``--noinput`` with a password in DJANGO_SUPERUSER_PASSWORD.
- Long-running commands start in the background and stay up until the section
  ends: ``manage.py runserver`` and ``gunicorn`` on a free local port (each must
  answer /healthz with the database and the broker "ok", and serve the login page
  in Dutch, not English, with its stylesheet), a Celery ``worker`` (must answer
  ``celery inspect ping``) and ``beat`` (its ``--schedule`` file moves to a
  temporary directory and must appear). When the section ends each must still
  be running; then they are stopped. If the section ran ``create_organization``,
  the worker must have emailed the invitation (the console email shows the link).

It cleans up after itself, also when it fails or is interrupted: it stops the
processes it started (their whole process groups), drops the scratch database
(before each section too, in case an earlier run was killed), empties the
scratch Redis database, removes its temporary directory and staticfiles/ if
collectstatic created it. Compiled catalogues (.mo) stay, as after
`make compile-messages`.
"""

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from readme_blocks import (
    ROOT,
    Command,
    Failure,
    database_name,
    documented_variables,
    free_port,
    kind_of,
    read_blocks,
    replace_option,
    say,
)
from readme_probes import Background, beat_runs, fail_with_log, web_answers, worker_answers
from readme_scratch import (
    SCRATCH_DATABASE_URL,
    SCRATCH_REDIS_URL,
    create_scratch_database,
    creates_database,
    drop_scratch_database,
    empty_scratch_redis,
)

README = ROOT / "README.md"
REQUIRED_SECTIONS = ("postgresql", "production")
COMMAND_TIMEOUT = 600  # seconds for one foreground command
START_TIMEOUT = 60  # seconds for a background command to answer
STOP_TIMEOUT = 10  # seconds between SIGTERM and SIGKILL
# Variables the shell and bash set by themselves; not what an export line changed.
SHELL_NOISE = {"_", "SHLVL", "PWD", "OLDPWD"}


# --- running ---------------------------------------------------------------------------------------


class Run:
    def __init__(self, temporary: Path):
        self.temporary = temporary
        self.background: list[Background] = []
        self.ran_create_organization = False
        self.port: int | None = None

    # The environment a terminal starts with: ours, minus what the README must set.
    @staticmethod
    def clean_environment() -> dict[str, str]:
        dropped = documented_variables() | {"DJANGO_SETTINGS_MODULE", "DJANGO_SUPERUSER_PASSWORD"}
        environment = {name: value for name, value in os.environ.items() if name not in dropped}
        environment.pop("VIRTUAL_ENV", None)
        environment["PYTHONUNBUFFERED"] = "1"  # background logs arrive as they are written
        return environment

    def export(self, command: Command, environment: dict[str, str]) -> dict[str, str]:
        result = subprocess.run(
            ["bash", "-o", "errexit", "-o", "nounset", "-o", "pipefail", "-c", command.text + "\nenv -0"],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
        )
        if result.returncode:
            raise Failure(f"README.md:{command.line}: `{command.text}` failed:\n{result.stderr.decode()}")
        after = dict(entry.split("=", 1) for entry in result.stdout.decode().split("\0") if "=" in entry)
        changed = {
            name: value for name, value in after.items() if name not in SHELL_NOISE and environment.get(name) != value
        }
        overrides = {
            "DATABASE_URL": SCRATCH_DATABASE_URL,
            "REDIS_URL": SCRATCH_REDIS_URL,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "EMAIL_URL": "consolemail://",
        }
        for name, value in changed.items():
            shown = overrides.get(name, value)
            environment[name] = shown
            note = "  (scratch)" if name in overrides else ""
            say(f"README.md:{command.line} $ export {name}={'…' if name == 'SECRET_KEY' else shown}{note}")
        return environment

    def rewrite(self, command: Command, environment: dict[str, str]) -> tuple[str, str | None]:
        """The command to run and what kind of long-running process it starts, if any."""
        try:
            words = shlex.split(command.text, comments=True)
        except ValueError:
            return command.text, None
        if not words:
            return command.text, None
        program = Path(words[0]).name
        kind = kind_of(words)
        if program == "createdb":
            words = words[:-1] + [database_name(SCRATCH_DATABASE_URL)]
        elif "createsuperuser" in words:
            environment["DJANGO_SUPERUSER_PASSWORD"] = secrets.token_urlsafe(16)
            words = words + ["--noinput"]
        elif "create_organization" in words:
            self.ran_create_organization = True
        elif kind == "web":
            self.port = free_port()
            if "runserver" in words:
                at = words.index("runserver")
                rest = words[at + 1 :]
                if rest and not rest[0].startswith("-"):
                    rest = rest[1:]
                words = words[: at + 1] + [f"127.0.0.1:{self.port}"] + rest
            else:
                words = replace_option(words, ("--bind", "-b"), f"127.0.0.1:{self.port}")
        elif kind == "beat":
            words = replace_option(words, ("--schedule", "-s"), str(self.temporary / "celerybeat-schedule"))
        elif kind is None:
            return command.text, None
        return shlex.join(words), kind

    def run(self, command: Command, environment: dict[str, str]) -> None:
        text, kind = self.rewrite(command, environment)
        say(f"README.md:{command.line} $ {text}" + (f"  (in the background: {kind})" if kind else ""))
        if kind:
            self.start(kind, command, text, environment)
            return
        started = time.monotonic()
        try:
            result = subprocess.run(
                ["bash", "-o", "errexit", "-o", "nounset", "-o", "pipefail", "-c", text],
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                timeout=COMMAND_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise Failure(f"README.md:{command.line}: `{text}` ran longer than {COMMAND_TIMEOUT} s") from None
        if result.returncode:
            raise Failure(f"README.md:{command.line}: `{text}` exited with {result.returncode}")
        say(f"  ok ({time.monotonic() - started:.1f} s)")

    # --- background processes ----------------------------------------------------------------------

    def start(self, kind: str, command: Command, text: str, environment: dict[str, str]) -> None:
        log = self.temporary / f"{kind}-{len(self.background)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                ["bash", "-c", "exec " + text],
                cwd=ROOT,
                env=dict(environment),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stop() ends its children too
            )
        background = Background(kind=kind, command=command, process=process, log=log)
        self.background.append(background)
        check = {
            "web": lambda: web_answers(background, environment, self.port),
            "worker": lambda: worker_answers(background, environment),
            "beat": lambda: beat_runs(background, self.temporary),
        }[kind]
        started = time.monotonic()
        problem = "did not start"
        while time.monotonic() - started < START_TIMEOUT:
            if process.poll() is not None:
                fail_with_log(background, f"exited with {process.returncode}")
            problem = check()
            if problem is None:
                say(f"  ok: up and answering ({time.monotonic() - started:.1f} s)")
                return
            time.sleep(1)
        fail_with_log(background, f"not ready after {START_TIMEOUT} s: {problem}")

    def end_section(self) -> None:
        """Every background process is still up (and the worker sent what it should); then stop them."""
        for background in self.background:
            if background.process.poll() is not None:
                fail_with_log(background, f"stopped on its own (status {background.process.returncode})")
        workers = [background for background in self.background if background.kind == "worker"]
        if self.ran_create_organization and workers:
            started = time.monotonic()
            while "/invite/" not in workers[0].log.read_text(errors="replace"):
                if time.monotonic() - started > START_TIMEOUT:
                    fail_with_log(workers[0], "did not email create_organization's invitation")
                time.sleep(1)
            say("  ok: the worker emailed the first HR admin's invitation")
        self.stop()
        self.ran_create_organization = False

    def stop(self) -> None:
        for background in self.background:
            if background.process.poll() is None:
                try:
                    os.killpg(background.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + STOP_TIMEOUT
        for background in self.background:
            try:
                background.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group may hold children (gunicorn's and Celery's workers) after the leader exits
                os.killpg(background.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            background.process.wait()
        self.background = []


def main(arguments: list[str]) -> int:
    if "readme" not in database_name(SCRATCH_DATABASE_URL):
        say(f"refusing: the scratch database's name must contain 'readme' ({SCRATCH_DATABASE_URL})")
        return 2
    if (ROOT / ".env").exists():
        say("refusing: a .env file would change what the README's commands do; move it away first")
        return 2
    try:
        blocks = read_blocks(README.read_text())
    except Failure as error:
        say(str(error))
        return 1
    sections = list(dict.fromkeys(block.section for block in blocks))
    missing = [name for name in REQUIRED_SECTIONS if name not in sections]
    if missing:
        say(f"README.md has no block marked <!-- ci: {missing[0]} -->")
        return 1
    chosen = arguments or sections
    unknown = [name for name in chosen if name not in sections]
    if unknown:
        say(f"no section {unknown[0]!r} in README.md (there are: {', '.join(sections)})")
        return 2

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    staticfiles_existed = (ROOT / "staticfiles").exists()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="helder-readme-") as temporary:
        run = Run(Path(temporary))
        try:
            for section in chosen:
                say(f"== section {section!r}: scratch database {database_name(SCRATCH_DATABASE_URL)}")
                drop_scratch_database()
                empty_scratch_redis()
                section_blocks = [block for block in blocks if block.section == section]
                if not any(creates_database(command) for block in section_blocks for command in block.commands):
                    create_scratch_database()  # the README creates it outside the section (by hand, as another user)
                section_environment = run.clean_environment()
                environment = dict(section_environment)
                for block in section_blocks:
                    if block.new_terminal:
                        say("-- a new terminal")
                        environment = dict(section_environment)
                    for command in block.commands:
                        if re.match(r"^export\s", command.text):
                            environment = run.export(command, environment)
                        else:
                            run.run(command, environment)
                run.end_section()
        except Failure as error:
            say(f"FAILED: {error}")
            return 1
        except KeyboardInterrupt:
            say("interrupted")
            return 130
        finally:
            run.stop()
            try:
                drop_scratch_database()
                empty_scratch_redis()
            except (Failure, OSError) as error:
                say(f"cleaning up: {error}")
            if not staticfiles_existed and (ROOT / "staticfiles").exists():
                subprocess.run(["rm", "-rf", str(ROOT / "staticfiles")], check=False)
    say(f"OK: {', '.join(chosen)} ran as README.md says ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
