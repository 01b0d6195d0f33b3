"""Fail when a translation catalogue has untranslated or fuzzy entries.

Indonesian is the product's first language: a message without its Indonesian
text would show English to an Indonesian user, so CI refuses it.
"""

import re
import subprocess
import sys


def main(paths):
    failed = False
    for path in paths:
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", path],
            capture_output=True,
            text=True,
            check=False,
        )
        summary = result.stderr.strip()
        fuzzy = re.search(r"(\d+) fuzzy", summary)
        untranslated = re.search(r"(\d+) untranslated", summary)
        if result.returncode != 0 or fuzzy or untranslated:
            failed = True
            print(f"{path}: {summary}", file=sys.stderr)
            _list_missing(path)
        else:
            print(f"{path}: {summary}")
    return 1 if failed else 0


def _list_missing(path):
    for flag in ("--untranslated", "--only-fuzzy"):
        listing = subprocess.run(
            ["msgattrib", flag, "--no-wrap", path],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for msgid in re.findall(r'^msgid "(.+)"$', listing, flags=re.MULTILINE):
            print(f"  {flag[2:]}: {msgid}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
