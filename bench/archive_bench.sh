#!/usr/bin/env bash
# Archive and restore of a large history against the floor set by the disk: `cp -r` of the same
# folder plus `sha256sum` of every file (plus one `sync -f`, since archive flushes what it writes
# before it removes anything). Run by hand, not in the test suite:
#
#   bench/archive_bench.sh                 # 10,000 files (5,000 golang-migrate migrations)
#   FILES=2000 ARCHIVE=/path/to/archive bench/archive_bench.sh
#
# Prints each time and its ratio to the baseline. archive re-reads every copy from the disk
# (cached pages are dropped first) and re-hashes every original before removing it, so a ratio
# around 2-4 is what "bounded by disk speed" looks like here.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
ARCHIVE=${ARCHIVE:-$here/build/bin/archive}
FILES=${FILES:-10000}
migrations=$((FILES / 2))
[ -x "$ARCHIVE" ] || { echo "archive binary not found at $ARCHIVE (build first, or set ARCHIVE=...)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/archive-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Migrations of 0.5 to 4 KB, like a real history; golang-migrate layout, up and down per version.
mkdir migrations
awk -v n="$migrations" 'BEGIN {
  srand(42);
  for (i = 1; i <= n; i++) {
    up = sprintf("migrations/%06d_step_%d.up.sql", i, i);
    down = sprintf("migrations/%06d_step_%d.down.sql", i, i);
    printf "CREATE TABLE step_%d (\n  id bigint PRIMARY KEY,\n", i > up;
    columns = 10 + int(rand() * 100);
    for (c = 1; c <= columns; c++) printf "  column_%d text NOT NULL DEFAULT %c%s%c,\n", c, 39, "value", 39 > up;
    printf "  created_at timestamptz NOT NULL DEFAULT now()\n);\n" > up;
    printf "DROP TABLE step_%d;\n", i > down;
    close(up); close(down);
  }
}'
bytes=$(du -sb migrations | cut -f1)
last=$(printf '%06d' "$migrations")
find migrations -type f | sort | xargs sha256sum > before.sha256

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The baseline runs before and after the archive and restore, and the two are averaged: on a
# shared machine the disk's speed drifts, and a single baseline can flatter or damn the ratios.
baseline_once() {
  sync -f .
  local t0 t1
  t0=$(now)
  cp -r migrations baseline_copy
  (cd baseline_copy && find . -type f -print0 | xargs -0 sha256sum > /dev/null)
  sync -f .
  t1=$(now)
  rm -rf baseline_copy
  sync -f .
  elapsed "$t0" "$t1"
}
baseline_before=$(baseline_once)

sync -f .
t0=$(now)
"$ARCHIVE" archive --migrations migrations --through "$last" --name bench > /dev/null
t1=$(now)
archive_time=$(elapsed "$t0" "$t1")

t0=$(now)
"$ARCHIVE" verify bench > /dev/null
t1=$(now)
verify_time=$(elapsed "$t0" "$t1")

t0=$(now)
"$ARCHIVE" restore bench > /dev/null
t1=$(now)
restore_time=$(elapsed "$t0" "$t1")

find migrations -type f | sort | xargs sha256sum > after.sha256
cmp -s before.sha256 after.sha256 || { echo "restored folder differs from the original!" >&2; exit 1; }
baseline_after=$(baseline_once)
baseline=$(awk -v a="$baseline_before" -v b="$baseline_after" 'BEGIN { printf "%.3f", (a + b) / 2 }')

printf '%d files, %d bytes (%d migrations, golang-migrate layout)\n' "$FILES" "$bytes" "$migrations"
printf '%-52s %9s s  (before %s s, after %s s)\n' "baseline: cp -r + sha256sum + sync" "$baseline" "$baseline_before" "$baseline_after"
printf '%-52s %9s s  %5sx baseline\n' "archive archive (read, copy, flush, re-read, remove)" "$archive_time" "$(ratio "$archive_time" "$baseline")"
printf '%-52s %9s s  %5sx baseline\n' "archive verify" "$verify_time" "$(ratio "$verify_time" "$baseline")"
printf '%-52s %9s s  %5sx baseline\n' "archive restore (verify, copy, flush, re-read)" "$restore_time" "$(ratio "$restore_time" "$baseline")"
echo "restored folder is byte-identical to the original"
