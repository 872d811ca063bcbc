#!/usr/bin/env bash
# Lighthouse on the demo site: the home page, a section, a story, and the story with a
# gallery, a fact box and an embed, in English.
# Targets: SEO 100 and Accessibility at least 95 on each (docs/seo.md).
#
#   bench/lighthouse.sh            # print the scores and what Lighthouse flags
#   bench/lighthouse.sh --record   # also write them into bench/RESULTS.md
#
# Needs npm (installs lighthouse@13 into bench/node_modules the first time) and
# Chromium (CHROME_PATH, default /usr/bin/chromium). It sets up a fresh demo site in a
# temporary folder and serves it on 127.0.0.1:$LIGHTHOUSE_PORT (default 8765).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATELINE=${DATELINE:-$ROOT/.venv/bin/dateline}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PORT=${LIGHTHOUSE_PORT:-8765}
BASE=http://127.0.0.1:$PORT
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"

LIGHTHOUSE=$HERE/node_modules/.bin/lighthouse
if [ ! -x "$LIGHTHOUSE" ]; then
  npm install --prefix "$HERE" --no-save --no-audit --no-fund --silent lighthouse@13
fi

DATA=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
export DATELINE_DATA_DIR=$DATA DATELINE_BASE_URL=$BASE
"$DATELINE" setup --demo >"$DATA/setup.log" 2>&1
"$DATELINE" serve --port "$PORT" --no-scheduler >"$DATA/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 60); do
  curl -fs -o /dev/null "$BASE/en/" && break
  sleep 1
done

ARTICLE=$(curl -fs "$BASE/en/world/" | grep -o 'href="/en/world/[^"/]*/"' | head -1 | cut -d'"' -f2)
PAGES="home=/en/ section=/en/world/ article=$ARTICLE illustrated=/en/region/kestrin-water-main-replacement-night-outages/"
for entry in $PAGES; do
  name=${entry%%=*}
  "$LIGHTHOUSE" "$BASE${entry#*=}" --quiet --output=json --output-path="$DATA/$name.json" \
    --only-categories=seo,accessibility,best-practices,performance --chrome-flags="$CHROME_FLAGS"
done

"$PYTHON" - "$DATA" "$HERE/RESULTS.md" "${1:-}" "$PAGES" <<'PY'
import datetime, json, os, platform, re, sys
from pathlib import Path

data, results, record, pages = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
order = ["seo", "accessibility", "best-practices", "performance"]
rows, flagged = [], []
for entry in pages.split():
    name, path = entry.split("=", 1)
    report = json.loads((data / f"{name}.json").read_text())
    scores = {key: round(report["categories"][key]["score"] * 100) for key in order}
    rows.append(f"| {name} (`{path}`) | " + " | ".join(str(scores[k]) for k in order) + " |")
    for key in ("seo", "accessibility"):
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                items = (audit.get("details") or {}).get("items", [])
                where = sorted({(i.get("node") or {}).get("selector", "") for i in items} - {""})
                flagged.append(f"- {name}: {key} `{ref['id']}` ({audit['title']}): "
                               + ", ".join(f"`{w}`" for w in where[:3]))
    version = report["lighthouseVersion"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
section = "\n".join([
    "<!-- lighthouse:start -->",
    "## Lighthouse: home, section and story pages",
    "",
    f"Lighthouse {version}, Debian Chromium headless, default (mobile) settings, against",
    "`dateline serve` of a fresh demo site on the same machine. Reproduce with",
    "`bench/lighthouse.sh --record`. Targets: SEO 100, Accessibility ≥ 95.",
    "",
    "| page | SEO | Accessibility | Best practices | Performance |",
    "| --- | --- | --- | --- | --- |",
    *rows,
    "",
    "What Lighthouse still flags:" if flagged else "Nothing flagged in SEO or Accessibility.",
    *flagged,
    "",
    f"_Measured {when} on {platform.node()}, {os.cpu_count()} cores ({cpu}), {platform.platform()}._",
    "<!-- lighthouse:end -->",
])
print(section)
if record == "--record":
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    pattern = re.compile(r"<!-- lighthouse:start -->.*?<!-- lighthouse:end -->", re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    results.write_text(text)
PY
