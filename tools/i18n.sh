#!/usr/bin/env bash
# Refresh the catalogues from the source, fill them from tools/translations/*.json, compile, and list what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd amparo && AMPARO_DATA_DIR=$(mktemp -d) ../.venv/bin/python -m django makemessages -l es -l de \
  --settings=amparo.settings --ignore "*/tests/*" --ignore "static/vendor/*" --ignore "*/static/*" >/dev/null)
for lang in es de; do
  python3 tools/po.py fill "$lang" tools/translations/*."$lang".json
done
python3 tools/po.py compile
for lang in es de; do
  printf '%s: %s untranslated\n' "$lang" "$(python3 tools/po.py missing "$lang" | grep -c '": ' || true)"
done
