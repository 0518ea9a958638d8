#!/usr/bin/env bash
# The web pages in a real browser (tests/web/browser.js: Debian's Chromium,
# headless, through playwright-core). The console serves the pages on a
# free port; a user answers, a year of history is added to the store, and
# the browser reads the public and the private pages. Screenshots are left
# in $DRILLBOT_SCREENSHOTS (default build/test/web-screenshots).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib/web_port.sh
bin=${DRILLBOT_BIN:-build/drillbot}
shots=${DRILLBOT_SCREENSHOTS:-build/test/web-screenshots}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	echo "SKIP web_browser: Chromium is not installed (apt-get install chromium; .ci/deps tries it)"
	exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "FAIL web_browser: node and npm are needed (apt-get install nodejs npm)"
	exit 0
fi
if [ ! -d tests/web/node_modules ]; then
	if ! out=$(cd tests/web && npm ci --silent --no-audit --no-fund 2>&1); then
		echo "FAIL web_browser: npm ci in tests/web failed: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
		exit 0
	fi
fi

tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export DRILLBOT_DATABASE="$tmp/web.db"
export DRILLBOT_CONFIG="$tmp/none.ini"
export DRILLBOT_WEB_LISTEN=127.0.0.1:0
: >"$DRILLBOT_CONFIG"
mkfifo "$tmp/in"
"$bin" console <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/in"
port=$(web_port "$tmp/err")
if [ -z "$port" ]; then
	echo "FAIL web_browser_server: no \"web pages on\" line: $(head -c 500 "$tmp/err")"
	exit 0
fi
say() { # a console line, then wait until the reply holds the needle
	local before
	before=$(wc -l <"$tmp/out")
	printf '%s\n' "$1" >&7
	for _ in $(seq 1 100); do
		[ "$(wc -l <"$tmp/out")" -gt "$before" ] && grep -q "$2" "$tmp/out" && return 0
		sleep 0.05
	done
	echo "FAIL web_browser_console: \"$1\" got no \"$2\": $(tail -n 5 "$tmp/out" | tr '\n' ' ')"
	exit 0
}
say "/question caching" "Answer"
say "/answer Only one caller rebuilds the entry under a lock while the others wait" "Model answer"
# Forty earlier days with answers, spread over the last year, so the
# heatmap and the weekly chart have something to draw.
sqlite3 "$DRILLBOT_DATABASE" >/dev/null "PRAGMA busy_timeout = 5000;
	WITH RECURSIVE d(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM d WHERE n < 40)
	INSERT INTO answers(user_id, team_id, question_id, topic, text, score, covered,
	                    created_at, local_day, points)
	SELECT 1, 1, 'caching-stampede', 'caching', 'seeded', 20 + (n * 37) % 80, 1,
	       CAST(strftime('%s', 'now') AS INTEGER) - (n * 11 % 360 + 1) * 86400,
	       CAST(strftime('%s', 'now') AS INTEGER) / 86400 - (n * 11 % 360 + 1), 0
	FROM d;" || {
	echo "FAIL web_browser_seed: sqlite3 could not add history"
	exit 0
}
say "/stats" "Progress page"
say "/leaderboard" "Team page"
me=$(grep -o "http://localhost:$port/me/[A-Za-z0-9_-]*" "$tmp/out" | tail -n 1)
team=$(grep -o "http://localhost:$port/team/[A-Za-z0-9_-]*" "$tmp/out" | tail -n 1)
if [ -z "$me" ] || [ -z "$team" ]; then
	echo "FAIL web_browser_links: no private links in /stats and /leaderboard"
	exit 0
fi
mkdir -p "$shots"
node tests/web/browser.js "http://127.0.0.1:$port" "${me#http://localhost:$port}" \
	"${team#http://localhost:$port}" "$shots"
exec 7>&-
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] && echo "PASS web_browser_console_exits" || echo "FAIL web_browser_console_exits: status $rc"
pid=""
