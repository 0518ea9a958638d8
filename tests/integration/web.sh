#!/usr/bin/env bash
# The bot's web pages over real HTTP: the console starts the server on a
# free port (web_listen = 127.0.0.1:0), and curl reads what a browser would.
set -u
bin=${DRILLBOT_BIN:-build/drillbot}
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export DRILLBOT_DATABASE="$tmp/web.db"
export DRILLBOT_CONFIG="$tmp/none.ini"
export DRILLBOT_WEB_LISTEN=127.0.0.1:0
: >"$DRILLBOT_CONFIG"

check() { # name, file, needle
	if grep -qF -- "$3" "$2"; then echo "PASS $1"; else
		echo "FAIL $1: lacks \"$3\""; head -c 1500 "$2" | sed 's/^/    | /'; fi
}
lacks() { # name, file, needle
	if grep -qF -- "$3" "$2"; then echo "FAIL $1: has \"$3\""; else echo "PASS $1"; fi
}

mkfifo "$tmp/in"
"$bin" console <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/in"
port=""
for _ in $(seq 1 100); do
	port=$(grep -o 'web pages on http://127.0.0.1:[0-9]*/' "$tmp/err" | grep -o '[0-9]*/$' | tr -d /)
	[ -n "$port" ] && break
	sleep 0.1
done
if [ -z "$port" ]; then
	echo "FAIL web_server_started: no \"web pages on\" line"; cat "$tmp/err"; exit 0
fi
echo "PASS web_server_started"
base="http://127.0.0.1:$port"
get() { curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$base$1"; }

[ "$(get /healthz)" = 200 ] && echo "PASS healthz_200" || echo "FAIL healthz_200"
check healthz_ok "$tmp/b" "ok"

get / >/dev/null
check index_lists_topics "$tmp/b" '<a href="/t/caching">Caching</a>'
check index_has_counts "$tmp/b" "questions in 17 topics"
check index_search_form "$tmp/b" '<form action="/search" method="get"'
check security_headers "$tmp/h" "content-security-policy: default-src 'none'"
check nosniff "$tmp/h" "x-content-type-options: nosniff"

get /t/caching >/dev/null
check topic_by_difficulty "$tmp/b" "<h2>Warm-up</h2>"
check topic_links_questions "$tmp/b" 'href="/q/caching-'

[ "$(get /q/caching-stampede)" = 200 ] && echo "PASS question_200" || echo "FAIL question_200"
check question_first "$tmp/b" "<section><p>"
check answer_behind_reveal "$tmp/b" "<details><summary>Model answer</summary>"
check key_points_behind_reveal "$tmp/b" "<details><summary>Key points</summary>"
check related_questions "$tmp/b" "<h2>Related</h2>"
# The question comes before the answer, so the page does not spoil a drill.
q=$(grep -bo '<section>' "$tmp/b" | head -1 | cut -d: -f1)
a=$(grep -bo '<details>' "$tmp/b" | head -1 | cut -d: -f1)
[ -n "$q" ] && [ -n "$a" ] && [ "$q" -lt "$a" ] && echo "PASS question_before_answer" \
	|| echo "FAIL question_before_answer"

[ "$(get /q/no-such-question)" = 404 ] && echo "PASS unknown_question_404" || echo "FAIL unknown_question_404"
check unknown_question_page "$tmp/b" "There is no page at"

get '/search?q=stampede' >/dev/null
check search_finds "$tmp/b" 'href="/q/caching-stampede"'
get '/search?q=%3Cscript%3Ealert(1)%3C/script%3E' >/dev/null
lacks search_escapes_query "$tmp/b" "<script>"
check search_shows_escaped "$tmp/b" "&lt;script&gt;"
get '/q/%3Cimg%20src=x%3E' >/dev/null
lacks path_escaped_in_404 "$tmp/b" "<img src=x>"

get /metrics >/dev/null
check metrics_questions "$tmp/b" "drillbot_questions 365"
check metrics_type_lines "$tmp/b" "# TYPE drillbot_http_requests_total counter"

# A port in use is a clear refusal naming the key (exit 78), not a silent bot without pages.
DRILLBOT_WEB_LISTEN="127.0.0.1:$port" DRILLBOT_DATABASE="$tmp/second.db" "$bin" console \
	</dev/null >"$tmp/busy" 2>&1
rc=$?
[ $rc -eq 78 ] && echo "PASS port_in_use_refused" || echo "FAIL port_in_use_refused: status $rc"
check port_in_use_names_key "$tmp/busy" "change web_listen"

echo /quit >&7
exec 7>&-
wait "$pid"
rc=$?
pid=""
[ $rc -eq 0 ] && echo "PASS web_console_exits_cleanly" || echo "FAIL web_console_exits_cleanly: $rc"

# web_listen = off: no server at all.
echo /quit | DRILLBOT_WEB_LISTEN=off DRILLBOT_DATABASE="$tmp/off.db" "$bin" console >"$tmp/off" 2>&1
lacks web_off_no_server "$tmp/off" "web pages on"
