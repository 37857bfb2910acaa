"""README.md's marked shell blocks, read and split into commands, and the small rewrites bin/readme_commands.py
makes to a command before it runs it (a free port, an option's value). Standard library only; see
bin/readme_commands.py for what runs and why.
"""

import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!--\s*ci:\s*([a-z0-9_-]+)\s*(,\s*new terminal\s*)?-->\s*$")


class Failure(Exception):
    pass


@dataclass
class Command:
    line: int  # README line of its first line
    text: str


@dataclass
class Block:
    section: str
    new_terminal: bool
    commands: list[Command] = field(default_factory=list)


def say(message: str) -> None:
    print(f"readme-commands: {message}", flush=True)


# --- reading README.md ---------------------------------------------------------------------------


def read_blocks(text: str) -> list[Block]:
    """The marked ```sh blocks of README.md, in order, each split into commands."""
    blocks, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        marker = MARKER.match(lines[index].strip())
        index += 1
        if not marker:
            continue
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index >= len(lines) or not re.match(r"^```(sh|bash|shell)\s*$", lines[index].strip()):
            raise Failure(f"README.md:{index}: a ci marker must be followed by a ```sh block")
        block = Block(section=marker.group(1), new_terminal=bool(marker.group(2)))
        index += 1
        pending: Command | None = None
        while index < len(lines) and lines[index].strip() != "```":
            line = lines[index]
            index += 1
            stripped = line.strip()
            if pending is None:
                if not stripped or stripped.startswith("#"):
                    continue
                pending = Command(line=index, text="")
            if stripped.endswith("\\"):
                pending.text += stripped[:-1] + " "
                continue
            pending.text += stripped
            block.commands.append(pending)
            pending = None
        if index >= len(lines):
            raise Failure(f"README.md:{block.commands[0].line if block.commands else index}: unclosed block")
        if pending is not None:
            raise Failure(f"README.md:{pending.line}: the block ends inside a continued line")
        blocks.append(block)
    return blocks


def documented_variables() -> set[str]:
    """Every NAME that .env.example sets or shows commented out."""
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line.strip())
        if match:
            names.add(match.group(1))
    return names


# --- rewriting a command -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replace_option(words: list[str], names: tuple[str, ...], value: str) -> list[str]:
    """words with option NAME's value set to value (`--name v`, `--name=v` or appended)."""
    for position, word in enumerate(words):
        if word in names and position + 1 < len(words):
            return words[: position + 1] + [value] + words[position + 2 :]
        for name in names:
            if name.startswith("--") and word.startswith(name + "="):
                return words[:position] + [f"{name}={value}"] + words[position + 1 :]
    return words + [names[0], value]


def kind_of(words: list[str]) -> str | None:
    """web, worker or beat for a command that keeps running; None for one that ends."""
    if "runserver" in words or any(Path(word).name == "gunicorn" for word in words[:1]):
        return "web"
    if words and Path(words[0]).name == "celery":
        if "worker" in words:
            return "worker"
        if "beat" in words:
            return "beat"
    return None


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")
