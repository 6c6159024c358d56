"""Carry translations of an earlier zh_CN.po over to a freshly exported one.

Odoo's export does not always bring back the translation of a code term it
already had; nothing translated by hand is lost this way.
Usage: python scripts/i18n_merge.py OLD.po NEW.po
"""

import sys

import polib


def main(old_path, new_path):
    old = {entry.msgid: entry.msgstr for entry in polib.pofile(old_path) if entry.msgstr}
    new = polib.pofile(new_path)
    for entry in new:
        if not entry.msgstr and entry.msgid in old:
            entry.msgstr = old[entry.msgid]
    new.save(new_path)


if __name__ == "__main__":
    main(*sys.argv[1:3])
