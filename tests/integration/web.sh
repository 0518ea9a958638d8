#!/usr/bin/env bash
# The bot's web pages over real HTTP: the console starts the server on a
# free port (web_listen = 127.0.0.1:0), and curl reads what a browser would.
set -u
bin=${DRILLBOT_BIN:-build/drillbot}
. "$(dirname "$0")/lib/web_port.sh"
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
port=$(web_port "$tmp/err")
if [ -z "$port" ]; then
	echo "FAIL web_server_started: no \"web pages on\" line"; cat "$tmp/err"; exit 0
fi
echo "PASS web_server_started"
base="http://127.0.0.1:$port"
get() { curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$base$1"; }

[ "$(get /healthz)" = 200 ] && echo "PASS healthz_200" || echo "FAIL healthz_200"
check healthz_json "$tmp/b" '"status":"ok","store":"ok","questions":365'
check healthz_console "$tmp/b" '{"name":"console","state":"up"}'
check healthz_type "$tmp/h" "content-type: application/json"

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
check question_first "$tmp/b" '<h1 class="question">What is a cache stampede'
check question_title "$tmp/b" "<title>What is a cache stampede, and how would you prevent one in a high-traffic… · drillbot</title>"
check answer_behind_reveal "$tmp/b" "<details><summary>Model answer</summary>"
check key_points_behind_reveal "$tmp/b" "<details><summary>Key points</summary>"
check related_questions "$tmp/b" "<h2>Related</h2>"
# The question comes before the answer, so the page does not spoil a drill.
q=$(grep -bo '<h1 class="question">' "$tmp/b" | head -1 | cut -d: -f1)
a=$(grep -bo '<details>' "$tmp/b" | head -1 | cut -d: -f1)
[ -n "$q" ] && [ -n "$a" ] && [ "$q" -lt "$a" ] && echo "PASS question_before_answer" \
	|| echo "FAIL question_before_answer"

[ "$(get /q/no-such-question)" = 404 ] && echo "PASS unknown_question_404" || echo "FAIL unknown_question_404"
check unknown_question_page "$tmp/b" "There is no page at"
check unknown_question_styled "$tmp/b" '<link rel="stylesheet" href="/style.css">'

# HTTP: ETag and 304, HEAD, caching, methods.
get /q/caching-stampede >/dev/null
etag=$(grep -i '^etag:' "$tmp/h" | cut -d' ' -f2 | tr -d '\r')
len=$(wc -c <"$tmp/b")
[ -n "$etag" ] && echo "PASS question_etag" || echo "FAIL question_etag: none"
check question_cacheable "$tmp/h" "cache-control: public, max-age=300"
check question_charset "$tmp/h" "content-type: text/html; charset=utf-8"
rm -f "$tmp/b"
code=$(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' -H "If-None-Match: $etag" "$base/q/caching-stampede")
[ "$code" = 304 ] && [ ! -s "$tmp/b" ] && echo "PASS if_none_match_304" \
	|| echo "FAIL if_none_match_304: status $code, $(wc -c <"$tmp/b") bytes"
check not_modified_keeps_etag "$tmp/h" "etag: $etag"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "other", W/'"$etag" "$base/q/caching-stampede")
[ "$code" = 304 ] && echo "PASS if_none_match_list_weak" || echo "FAIL if_none_match_list_weak: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "0000000000000000"' "$base/q/caching-stampede")
[ "$code" = 200 ] && echo "PASS if_none_match_other_200" || echo "FAIL if_none_match_other_200: $code"
code=$(curl -s -I -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$base/q/caching-stampede")
[ "$code" = 200 ] && grep -qi "^content-length: $len" "$tmp/h" && echo "PASS head_same_length" \
	|| echo "FAIL head_same_length: $code, want content-length $len"
[ "$(curl -s -X HEAD --max-time 5 -o "$tmp/b" -w '%{size_download}' "$base/q/caching-stampede")" = 0 ] \
	&& echo "PASS head_no_body" || echo "FAIL head_no_body"
code=$(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' -X POST -d 'a=1' "$base/q/caching-stampede")
[ "$code" = 405 ] && echo "PASS post_405" || echo "FAIL post_405: $code"
check post_405_allow "$tmp/h" "allow: GET, HEAD"
check post_405_page "$tmp/b" "<h1>Method not allowed</h1>"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$base/")" = 405 ] && echo "PASS delete_405" \
	|| echo "FAIL delete_405"
get /style.css >/dev/null
check stylesheet_type "$tmp/h" "content-type: text/css; charset=utf-8"
check stylesheet_dark_mode "$tmp/b" "prefers-color-scheme:dark"
[ "$(get /favicon.svg)" = 200 ] && echo "PASS favicon_served" || echo "FAIL favicon_served"
check favicon_type "$tmp/h" "content-type: image/svg+xml"

# Nothing from a URL reaches the file system; odd paths are 404 (or refused), never a file.
for u in "/q/../../etc/passwd" "/q/%2e%2e/%2e%2e/etc/passwd" "/q/%2e%2e%2f%2e%2e%2fetc%2fpasswd" \
	"/t/..%2f..%2fetc%2fpasswd" "/q/caching-stampede%00" "/..%5c..%5cetc%5cpasswd"; do
	code=$(curl -s --path-as-is -o "$tmp/b" -w '%{http_code}' "$base$u")
	if [ "$code" != 200 ] && ! grep -q 'root:' "$tmp/b"; then echo "PASS traversal $u ($code)"; else
		echo "FAIL traversal $u: status $code"; fi
done
# Oversized requests are refused without a page, and the server keeps serving.
long=$(head -c 20000 /dev/zero | tr '\0' a)
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/q/$long")
[ "$code" != 200 ] && echo "PASS oversized_url_refused ($code)" || echo "FAIL oversized_url_refused"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Filler: $long" "$base/")
[ "$code" != 200 ] && echo "PASS oversized_header_refused ($code)" || echo "FAIL oversized_header_refused"
[ "$(get /healthz)" = 200 ] && echo "PASS serves_after_oversized" || echo "FAIL serves_after_oversized"

# Slow clients cannot stall the loop: 20 connections that send half a request
# and wait, and 20 that ask for pages and never read them, while curl is served.
python3 - "$port" >"$tmp/slow" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
held = []
for i in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    held.append(s)
for i in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"GET /q/caching-stampede HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 50)
    held.append(s)
print("holding", flush=True)
time.sleep(4)
PY
slow=$!
for _ in $(seq 1 50); do grep -q holding "$tmp/slow" && break; sleep 0.1; done
ok=0
for _ in 1 2 3 4 5; do [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$base/q/caching-ttl-jitter")" = 200 ] && ok=$((ok + 1)); done
[ "$ok" = 5 ] && grep -q holding "$tmp/slow" && echo "PASS slow_clients_do_not_stall" \
	|| echo "FAIL slow_clients_do_not_stall: $ok of 5 served; $(cat "$tmp/slow")"
kill "$slow" 2>/dev/null
wait "$slow" 2>/dev/null

# The pages validate (HTML Tidy reports no error and no warning).
valid() { # name, path
	get "$2" >/dev/null
	cp "$tmp/b" "$tmp/page.html"
	if out=$(tidy -errors -q "$tmp/page.html" 2>&1) && [ -z "$out" ]; then echo "PASS valid_html $1"; else
		echo "FAIL valid_html $1: $(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"; fi
}
if command -v tidy >/dev/null; then
	valid index /
	valid topic /t/caching
	valid question /q/caching-stampede
	valid search '/search?q=cache+stampede'
	valid not_found /nope
else
	echo "FAIL valid_html: tidy is not installed (apt-get install tidy)"
fi

get '/search?q=stampede' >/dev/null
check search_finds "$tmp/b" 'href="/q/caching-stampede"'
get '/search?q=%3Cscript%3Ealert(1)%3C/script%3E' >/dev/null
lacks search_escapes_query "$tmp/b" "<script>"
check search_shows_escaped "$tmp/b" "&lt;script&gt;"
get '/q/%3Cimg%20src=x%3E' >/dev/null
lacks path_escaped_in_404 "$tmp/b" "<img src=x>"

get /metrics >/dev/null
check metrics_questions "$tmp/b" "drillbot_questions 365"
check metrics_type_lines "$tmp/b" "# TYPE drillbot_http_responses_total counter"

# ---- private progress pages ----
say() { # a console line, then wait for the reply's last line
	local before
	before=$(wc -l <"$tmp/out")
	printf '%s\n' "$1" >&7
	for _ in $(seq 1 100); do
		[ "$(wc -l <"$tmp/out")" -gt "$before" ] && grep -q "$2" "$tmp/out" && return 0
		sleep 0.05
	done
	return 1
}
link_of() { grep -o "http://localhost:$port/$1/[A-Za-z0-9_-]*" "$tmp/out" | tail -n 1; }
: >"$tmp/out.mark"
say "/question caching" "Answer"
say "/answer Only one caller rebuilds the entry under a lock while the others wait or get the stale value" "Model answer"
say "/stats" "Progress page"
me=$(link_of me)
[ -n "$me" ] && echo "PASS stats_links_private_page" || echo "FAIL stats_links_private_page: $(tail -n 5 "$tmp/out")"
me_path=${me#http://localhost:$port}
[ "$(get "$me_path")" = 200 ] && echo "PASS me_page_200" || echo "FAIL me_page_200: $me_path"
check me_heatmap "$tmp/b" 'aria-label="Answers per day over the last year: 1 in all"'
check me_heatmap_today "$tmp/b" "$(date -u +%F): 1 answer</title>"
check me_mastery_bars "$tmp/b" 'aria-label="Mastery by topic, in percent"'
check me_weekly "$tmp/b" 'aria-label="Answers per week, the last 26 weeks"'
check me_streak "$tmp/b" "Streak: <strong>1 day</strong>"
check me_no_store "$tmp/h" "cache-control: no-store"
check me_noindex "$tmp/h" "x-robots-tag: noindex"
check me_no_referrer "$tmp/h" "referrer-policy: no-referrer"
lacks me_no_etag "$tmp/h" "etag:"
command -v tidy >/dev/null && valid me "$me_path"
tampered="${me_path%?}$( [ "${me_path: -1}" = A ] && echo B || echo A)"
[ "$(get "$tampered")" = 404 ] && echo "PASS me_tampered_404" || echo "FAIL me_tampered_404"
[ "$(get "/me/2${me_path#/me/1}")" = 404 ] && echo "PASS me_other_id_404" || echo "FAIL me_other_id_404"
[ "$(get "/team${me_path#/me}")" = 404 ] && echo "PASS me_token_not_team_404" || echo "FAIL me_token_not_team_404"
[ "$(get /me/)" = 404 ] && echo "PASS me_empty_404" || echo "FAIL me_empty_404"
say "/leaderboard" "Team page"
team=$(link_of team)
team_path=${team#http://localhost:$port}
[ "$(get "$team_path")" = 200 ] && echo "PASS team_page_200" || echo "FAIL team_page_200: $team_path"
check team_board "$tmp/b" "<h3>This week</h3>"
check team_coverage "$tmp/b" 'aria-label="Questions answered by the team, per topic"'
check team_covered_caching "$tmp/b" "1 of 20"
command -v tidy >/dev/null && valid team "$team_path"
# An answer that earns points (the first was to a random caching question), so the board
# has someone to name or to hide.
say "/answer id:caching-stampede Many concurrent requests miss the same expired key and all hammer the database; only one caller rebuilds the value while the others wait for its result." "points"
get "$team_path" >/dev/null
check team_names_player "$tmp/b" "<td>local</td>"
say "/settings leaderboard hide" "keep your place private now"
get "$team_path" >/dev/null
lacks team_hidden_not_named "$tmp/b" "<td>local</td>"
check team_hidden_counted "$tmp/b" "1 player who keeps their place private"
say "/settings leaderboard show" "on the board again"
get "$team_path" >/dev/null
check team_shown_again "$tmp/b" "<td>local</td>"

# ---- the data export: a signed file to download ----
say "/export-me" "Download my data"
ex=$(link_of export)
ex_path=${ex#http://localhost:$port}
[ -n "$ex" ] && [ "$(get "$ex_path")" = 200 ] && echo "PASS export_link_200" \
	|| echo "FAIL export_link_200: $ex_path $(tail -n 5 "$tmp/out")"
check export_attachment "$tmp/h" 'content-disposition: attachment; filename="drillbot-export.json"'
check export_json_type "$tmp/h" "content-type: application/json; charset=utf-8"
check export_no_store "$tmp/h" "cache-control: no-store"
check export_noindex "$tmp/h" "x-robots-tag: noindex"
check export_nosniff "$tmp/h" "x-content-type-options: nosniff"
if out=$(python3 - "$tmp/b" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["format"] == "drillbot-export" and d["version"] == 1, (d["format"], d["version"])
qs = [a["question"] for a in d["answers"]]
assert len(qs) == 2 and qs[1] == "caching-stampede", qs
assert sum(a["points"] for a in d["answers"]) > 0 and d["points"], (d["answers"], d["points"])
assert d["settings"]["leaderboard"] == "shown", d["settings"]
PY
); then echo "PASS export_is_the_users_json"; else echo "FAIL export_is_the_users_json: $out"; fi
tampered="${ex_path%?}$( [ "${ex_path: -1}" = A ] && echo B || echo A)"
[ "$(get "$tampered")" = 404 ] && echo "PASS export_tampered_404" || echo "FAIL export_tampered_404"
lacks export_404_no_attachment "$tmp/h" "content-disposition"
[ "$(get "/export${me_path#/me}")" = 404 ] && echo "PASS export_me_token_404" || echo "FAIL export_me_token_404"
[ "$(get "/me${ex_path#/export}")" = 404 ] && echo "PASS me_export_token_404" || echo "FAIL me_export_token_404"
[ "$(curl -s -I -o /dev/null -w '%{http_code}' "$base$ex_path")" = 200 ] && echo "PASS export_head_200" \
	|| echo "FAIL export_head_200"

say "/settings links reset" "Progress page"
[ "$(get "$me_path")" = 404 ] && echo "PASS me_reset_old_404" || echo "FAIL me_reset_old_404"
[ "$(get "$ex_path")" = 404 ] && echo "PASS export_reset_old_404" || echo "FAIL export_reset_old_404"
me2=$(link_of me)
me2_path=${me2#http://localhost:$port}
[ "$me2" != "$me" ] && [ "$(get "$me2_path")" = 200 ] && echo "PASS me_reset_new_200" \
	|| echo "FAIL me_reset_new_200"
say "/export-me" "Download my data"
ex2=$(link_of export)
ex2_path=${ex2#http://localhost:$port}
[ "$ex2" != "$ex" ] && [ "$(get "$ex2_path")" = 200 ] && echo "PASS export_reset_new_200" \
	|| echo "FAIL export_reset_new_200"
say "/forget-me" "Type a number"
say "1" "deleted"
[ "$(get "$me2_path")" = 404 ] && echo "PASS me_after_forget_404" || echo "FAIL me_after_forget_404"
[ "$(get "$ex2_path")" = 404 ] && echo "PASS export_after_forget_404" || echo "FAIL export_after_forget_404"
# The same person again: a new row, maybe the same id, and still the old link is dead.
say "/stats" "Progress page"
[ "$(get "$me2_path")" = 404 ] && echo "PASS me_after_return_404" || echo "FAIL me_after_return_404"

# ---- metrics: counted while the console ran ----
get /metrics >/dev/null
check metrics_interactions "$tmp/b" 'drillbot_interactions_total{platform="console",command="stats"}'
check metrics_answers "$tmp/b" 'drillbot_answers_stored_total{platform="console"} 2'
check metrics_latency "$tmp/b" 'drillbot_handler_seconds_bucket{platform="console",le="+Inf"}'
check metrics_rest_zero "$tmp/b" "drillbot_rest_requests_total 0"
check metrics_daily_zero "$tmp/b" "drillbot_daily_posts_total 0"
check metrics_http "$tmp/b" 'drillbot_http_responses_total{code="304"}'

# ---- export-site: static files whose links all resolve ----
if "$bin" export-site "$tmp/site" >"$tmp/export" 2>&1; then
	check export_counts "$tmp/export" "wrote 385 files"
	broken=$(python3 - "$tmp/site" <<'PY'
import os, re, sys
root = sys.argv[1]
bad = []
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".html"):
            continue
        page = os.path.join(d, f)
        for href in re.findall(r'(?:href|action)="([^"]*)"', open(page, encoding="utf-8").read()):
            if href.startswith(("http://", "https://", "#")):
                continue
            target = os.path.normpath(os.path.join(d, href))
            if href.startswith("/") or not os.path.isfile(target):
                bad.append(f"{os.path.relpath(page, root)} -> {href}")
print(len(bad)); print("\n".join(bad[:5]))
PY
)
	[ "$(printf '%s' "$broken" | head -n 1)" = 0 ] && echo "PASS export_links_resolve" \
		|| echo "FAIL export_links_resolve: $broken"
	check export_question_reveal "$tmp/site/q/caching-stampede.html" "<details><summary>Model answer</summary>"
	lacks export_no_search_form "$tmp/site/index.html" "<form"
else
	echo "FAIL export_site: $(cat "$tmp/export")"
fi
"$bin" export-site /proc/no-such/dir >"$tmp/export" 2>&1
[ $? -ne 0 ] && grep -q "cannot create the folder /proc/no-such/dir" "$tmp/export" \
	&& echo "PASS export_bad_dir_says_why" || echo "FAIL export_bad_dir_says_why: $(cat "$tmp/export")"

# ---- a hostile bank: every page shows its markup as text ----
hostile() {
	DRILLBOT_CONTENT_DIR=tests/fixtures/content/hostile DRILLBOT_DATABASE="$tmp/hostile.db" \
		"$bin" console <"$tmp/hin" >"$tmp/hout" 2>"$tmp/herr" &
	hpid=$!
	exec 8>"$tmp/hin"
	hport=$(web_port "$tmp/herr")
	for u in / /t/evil /q/evil-markup /q/evil-links '/search?q=script' "/q/%3Cscript%3E"; do
		curl -s -o "$tmp/hb" "http://127.0.0.1:$hport$u"
		if grep -qiE '<script|<img|<iframe|<svg|<[^>]* on[a-z]+=|href="(javascript|data):' "$tmp/hb"; then
			echo "FAIL hostile_escaped $u: $(grep -oiE '.{30}(<script|<img|<iframe|<svg|<[^>]* on[a-z]+=|href="(javascript|data):).{30}' "$tmp/hb" | head -n 2)"
		else
			echo "PASS hostile_escaped $u"
		fi
	done
	check hostile_text_shown "$tmp/hb" "There is no page at"
	curl -s -o "$tmp/hb" "http://127.0.0.1:$hport/q/evil-markup"
	check hostile_safe_link_kept "$tmp/hb" '<a href="https://example.com/">safe link</a>'
	check hostile_point_as_text "$tmp/hb" "A point with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;"
	exec 8>&-
	wait "$hpid"
}
mkfifo "$tmp/hin"
hostile

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
