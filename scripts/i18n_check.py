"""Fail when a user-facing term of an addon has no zh_CN translation.

Usage: python scripts/i18n_check.py addons/*/i18n/zh_CN.po
"""

import re
import sys

import polib

CJK = re.compile(r"[\u4e00-\u9fff]")


def main(paths):
    missing = []
    for path in paths:
        for entry in polib.pofile(path):
            if entry.obsolete or CJK.search(entry.msgid):
                continue
            if not entry.msgstr.strip():
                missing.append(f"{path}: {entry.msgid!r}")
    for line in missing:
        print(f"untranslated: {line}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
