"""Fail when the Indonesian catalogue misses, or has not translated, a message.

Indonesian is the product's first language: a message without its Indonesian
text would show English to an Indonesian user, so CI refuses it. Two checks:

1. every entry of the catalogue is translated and none is fuzzy (msgfmt);
2. every message the code marks for translation is in the catalogue at all. For
   this the script runs ``makemessages`` on the real catalogue and puts the file
   back afterwards, whatever happens, so the check changes nothing.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "kotacerdas"
CATALOGUE = SOURCE / "locale" / "id" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgctxt "(.*)"\nmsgid "(.*)"|^msgid "(.*)"', re.MULTILINE)


def msgids(text):
    """The msgids of a catalogue (first line of each, with its context)."""
    found = set()
    for match in ENTRY.finditer(text):
        context, with_context, plain = match.groups()
        found.add((context or "", with_context if context else plain))
    found.discard(("", ""))
    return found


def check_translated(path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    summary = result.stderr.strip()
    if result.returncode == 0 and not re.search(r"fuzzy|untranslated", summary):
        print(f"{path.relative_to(ROOT)}: {summary}")
        return True

    print(f"{path.relative_to(ROOT)}: {summary}", file=sys.stderr)
    for flag in ("--untranslated", "--only-fuzzy"):
        listing = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(path)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for msgid in re.findall(r'^msgid "(.+)"$', listing, flags=re.MULTILINE):
            print(f"  {flag[2:]}: {msgid}", file=sys.stderr)
    return False


def check_complete(path):
    original = path.read_bytes()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kotacerdas.settings_test"}
    try:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "id",
                "--ignore",
                ".venv",
                "-v0",
            ],
            cwd=SOURCE,
            env=env,
            check=True,
        )
        wanted = msgids(path.read_text(encoding="utf-8"))
    finally:
        path.write_bytes(original)

    missing = sorted(wanted - msgids(original.decode("utf-8")))
    for context, msgid in missing:
        label = f"[{context}] " if context else ""
        print(f"  missing from the catalogue: {label}{msgid}", file=sys.stderr)
    if missing:
        print(
            f"{len(missing)} messages are not in {path.relative_to(ROOT)}; run "
            "`make messages-update` and translate them.",
            file=sys.stderr,
        )
    return not missing


def main():
    translated = check_translated(CATALOGUE)
    complete = check_complete(CATALOGUE)
    return 0 if translated and complete else 1


if __name__ == "__main__":
    sys.exit(main())
