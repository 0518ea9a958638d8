#!/usr/bin/env bash
# kill -9 durability: the console is killed at random moments while answers
# stream in; every answer it acknowledged (its "Score:" reply was written)
# must be in the SQLite file afterwards, and the file must stay sound.
# Bounded: CYCLES runs (50 by default) of a fraction of a second each.
set -u
bin=${DRILLBOT_BIN:-build/drillbot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DRILLBOT_DATABASE="$tmp/durable.db"
export DRILLBOT_CONFIG="$tmp/none.ini"
: >"$DRILLBOT_CONFIG"
cycles=${CYCLES:-50}
command -v sqlite3 >/dev/null || { echo "FAIL durability: the sqlite3 command is missing (.ci/deps installs it)"; exit 0; }
acked=0
bad_integrity=0
for i in $(seq 1 "$cycles"); do
	for j in $(seq 1 400); do
		echo "/answer id:caching-strategies Cycle $i answer $j: with cache-aside the app reads the cache, and on a miss it loads the database and stores the row."
	done >"$tmp/in"
	"$bin" console <"$tmp/in" >"$tmp/out" 2>/dev/null &
	pid=$!
	# Kill at a random moment once answers flow (start-up loads the bank).
	for _ in $(seq 1 200); do
		grep -q 'Score: ' "$tmp/out" 2>/dev/null && break
		sleep 0.05
	done
	sleep "0.$((RANDOM % 20))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	acked=$((acked + $(grep -c 'Score: ' "$tmp/out")))
	[ "$(sqlite3 "$DRILLBOT_DATABASE" 'PRAGMA quick_check' 2>&1)" = ok ] || bad_integrity=$((bad_integrity + 1))
done
stored=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT count(*) FROM answers")
echo "durability: $cycles kill -9 cycles, $acked answers acknowledged, $stored stored"
[ "$acked" -gt 0 ] && echo "PASS durability_answers_acknowledged" || echo "FAIL durability_answers_acknowledged: none in $cycles cycles"
[ "$stored" -ge "$acked" ] && echo "PASS durability_no_acknowledged_answer_lost" || echo "FAIL durability_no_acknowledged_answer_lost: $acked acknowledged, $stored stored"
[ "$bad_integrity" -eq 0 ] && echo "PASS durability_integrity_ok" || echo "FAIL durability_integrity_ok: $bad_integrity cycles left a damaged file"
