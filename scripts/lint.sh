#!/usr/bin/env bash
# ruff (check and format) and pylint-odoo's mandatory checks: zero findings.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
rc=0
"$VENV/bin/ruff" check addons tests scripts || rc=1
"$VENV/bin/ruff" format --check addons tests scripts || rc=1
# missing-readme: each addon keeps readme/*.md fragments (OCA layout), no generated README.rst.
"$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" --disable=missing-readme addons/alliance_* || rc=1
# Every user-facing term has its Chinese translation.
"$PY" "$ROOT/scripts/i18n_check.py" addons/*/i18n/zh_CN.po || rc=1
exit $rc
