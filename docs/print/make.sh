#!/bin/sh
# Renders the printed documents of the synthetic sample school to PDF with headless Chromium and
# the first pages to PNG (the pictures in the README). Needs: chromium, poppler-utils.
#   sh docs/print/make.sh            (from the repository, with the package installed in .venv)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
py="$repo/.venv/bin/python"
zo="$repo/.venv/bin/zorgoverleg"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$zo" import "$repo/sample_data/absences.csv" --db school.duckdb >/dev/null
mkdir -p -m 700 notulen
PYTHONPATH="$repo" "$py" - <<'PY'
from datetime import date
from zorgoverleg.minutes import Action, Meeting, save
from tests.sample_meeting import sample_meeting

first = Meeting(date=date(2026, 2, 9), title="Zorgoverleg 1ste graad", finished=True)
first.ensure_pupil("001001", "Hasira Staertuyt", "1B").actions = [
    Action("Ouders uitnodigen voor een gesprek", "An Verlinden", date(2026, 2, 13), done=True)]
save(first, "notulen/2026-02-09-zorgoverleg-1ste-graad.toml")
save(sample_meeting(), "notulen/2026-03-13-zorgoverleg-1ste-graad.toml")
PY
"$zo" report 001001 --db school.duckdb --today 2026-03-13 -o report.html >/dev/null
"$zo" export notulen/2026-03-13-zorgoverleg-1ste-graad.toml --format html -o minutes.html >/dev/null
"$zo" export notulen/2026-03-13-zorgoverleg-1ste-graad.toml --format html --per-person -o . >/dev/null
"$zo" classes --db school.duckdb --today 2026-03-13 --class 1B -o class.html >/dev/null
cp 2026-03-13-zorgoverleg-1ste-graad-an-verlinden.html person.html
for doc in report minutes person class; do
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$doc.pdf" \
        "file://$work/$doc.html" >/dev/null 2>&1
    echo "$doc: $(pdfinfo "$doc.pdf" | sed -n 's/^Pages: *//p') A4 page(s)"
    pdftoppm -r 60 -png -f 1 -l 2 "$doc.pdf" "$here/$doc"
done
