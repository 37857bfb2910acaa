#!/usr/bin/env python
"""Fail when Helder's Dutch or English catalogue is incomplete.

Run by `make check-translations` (venv python, DEBUG=true). It fails, with
exit status 1 and a list of what is wrong, when:

(a) `makemessages` would add msgids that the catalogues do not have yet
    (a string was marked for translation but `make messages` was not run);
(b) a message in locale/nl/LC_MESSAGES/<domain>.po is untranslated or fuzzy;
(c) the same in locale/en/LC_MESSAGES/<domain>.po.

The django domain is always checked; djangojs only when a djangojs
catalogue exists or makemessages would create one.

To see what makemessages would do, the script runs it for real and puts
every catalogue back byte-for-byte (and with its modification time) in a
`finally`, deleting any catalogue it created, so the tree is never left
modified, even when makemessages fails halfway or the check is interrupted.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
LANGUAGES = ("nl", "en")
DOMAINS = ("django", "djangojs")
# Same as `make messages`, plus tests: a string only a test marks is not a
# string users see.
IGNORE = (".venv", "node_modules", "staticfiles", "bench", "tests")
SHOWN_PER_PROBLEM = 20


def catalogue_path(language, domain):
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(path):
    """The messages of one .po file, header and obsolete entries excluded."""
    with path.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    return [message for message in catalog if message.id]


def key(message):
    """A message's identity in a catalogue: its context and msgid (both forms for a plural)."""
    return (message.context, message.id)


def describe(message_key):
    context, msgid = message_key
    text = " / ".join(msgid) if isinstance(msgid, tuple) else msgid
    text = text if len(text) <= 100 else text[:97] + "..."
    return f"[{context}] {text!r}" if context else repr(text)


def is_translated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def locale_dirs():
    """Every directory named locale that makemessages may write to (apps may have their own)."""
    found = []
    for dirpath, dirnames, _ in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in IGNORE and not d.startswith(".")]
        if Path(dirpath).name == "locale":
            found.append(Path(dirpath))
            dirnames[:] = []
    return found


def snapshot(backup_dir):
    """Copy every file under each locale directory to backup_dir; return the files and directories."""
    files, dirs = set(), {}
    for locale in locale_dirs():
        dirs[locale.relative_to(ROOT)] = locale.stat()
        for path in locale.rglob("*"):
            relative = path.relative_to(ROOT)
            if path.is_dir():
                dirs[relative] = path.stat()
            elif path.is_file():
                (backup_dir / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, backup_dir / relative)
                files.add(relative)
    return files, dirs


def restore(backup_dir, files, dirs):
    """Put the locale directories back as snapshot() found them: same bytes and mtimes, nothing new."""
    for locale in locale_dirs():
        for path in sorted(locale.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            relative = path.relative_to(ROOT)
            if path.is_file() and relative not in files:
                path.unlink()
            elif path.is_dir() and relative not in dirs and not any(path.iterdir()):
                path.rmdir()
        if locale.relative_to(ROOT) not in dirs and not any(locale.iterdir()):
            locale.rmdir()
    for relative in files:
        original, current = backup_dir / relative, ROOT / relative
        if not current.is_file() or current.read_bytes() != original.read_bytes():
            current.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(original, current)
        else:
            shutil.copystat(original, current)
    # Last, as writing files above changes their directories' times.
    for relative, stat in dirs.items():
        if (ROOT / relative).is_dir():
            os.utime(ROOT / relative, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def makemessages(domain):
    command = [sys.executable, "manage.py", "makemessages", "-d", domain, "--no-location", "--no-obsolete"]
    command += [f"-l{language}" for language in LANGUAGES]
    command += [f"--ignore={pattern}" for pattern in IGNORE]
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true")}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command[1:])} failed:\n{result.stdout}{result.stderr}")


def read_all():
    """{(language, domain): messages, or None when that catalogue does not exist}."""
    catalogues = {}
    for domain in DOMAINS:
        for language in LANGUAGES:
            path = catalogue_path(language, domain)
            catalogues[language, domain] = read_catalogue(path) if path.exists() else None
    return catalogues


def report(problems, path, label, keys):
    keys = sorted(keys, key=describe)
    if keys:
        lines = [f"  {describe(k)}" for k in keys[:SHOWN_PER_PROBLEM]]
        if len(keys) > SHOWN_PER_PROBLEM:
            lines.append(f"  ... and {len(keys) - SHOWN_PER_PROBLEM} more")
        problems.append(f"{path}: {len(keys)} {label}:\n" + "\n".join(lines))


def main():
    if not LOCALE_DIR.is_dir():
        print(f"check-translations: {LOCALE_DIR} does not exist", file=sys.stderr)
        return 1
    try:
        before = read_all()
        with tempfile.TemporaryDirectory(prefix="helder-locale-") as backup:
            backup_dir = Path(backup)
            files, dirs = snapshot(backup_dir)
            try:
                for domain in DOMAINS:
                    makemessages(domain)
                after = read_all()
            finally:
                restore(backup_dir, files, dirs)
    except Exception as error:  # any failure to check is a failed check
        print(f"check-translations: could not check: {error}", file=sys.stderr)
        return 1

    problems, summary = [], []
    for domain in DOMAINS:
        if domain != "django" and all(
            before[language, domain] is None and after[language, domain] is None for language in LANGUAGES
        ):
            summary.append(f"{domain}: no catalogue, skipped")
            continue
        counts = []
        for language in LANGUAGES:
            path = catalogue_path(language, domain).relative_to(ROOT)
            current = before[language, domain] or []
            known = {key(message) for message in current}
            extracted = {key(message) for message in after[language, domain] or []}
            untranslated = [key(m) for m in current if not is_translated(m)]
            fuzzy = [key(m) for m in current if m.fuzzy]
            report(problems, path, "not in the catalogue (run `make messages`)", extracted - known)
            report(problems, path, "untranslated", untranslated)
            report(problems, path, "fuzzy (check the translation, then drop the flag)", fuzzy)
            if stale := known - extracted:
                print(f"note: {path}: {len(stale)} msgid(s) no longer extracted; `make messages` drops them")
            counts.append(f"{language} {len(current) - len(untranslated)}/{len(current)}")
        summary.append(f"{domain}: " + ", ".join(counts))

    if problems:
        print("check-translations: FAILED\n" + "\n".join(problems), file=sys.stderr)
        return 1
    print("check-translations: OK, nothing missing, untranslated or fuzzy (" + "; ".join(summary) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
