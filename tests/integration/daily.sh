#!/usr/bin/env bash
# The daily drill in the console, on a clock started just before the post
# (drillbot console --clock): a post at the channel's hour in its zone, on
# a spring-forward day at a time that does not exist, once across a
# restart on the fall-back day, late within daily_catch_up and skipped
# past it, and the refusals of bad /daily input. Each wait is a few
# seconds of real time.
set -u
bin=${DRILLBOT_BIN:-build/drillbot}
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
export DRILLBOT_CONFIG="$tmp/none.ini"
export DRILLBOT_WEB_LISTEN=off
: >"$DRILLBOT_CONFIG"

# start NAME CLOCK: a console on its own database $tmp/NAME.db, output in $tmp/NAME.out
start() {
	rm -f "$tmp/in"
	mkfifo "$tmp/in"
	DRILLBOT_DATABASE="$tmp/$1.db" "$bin" console --clock "$2" <"$tmp/in" >>"$tmp/$1.out" \
		2>>"$tmp/$1.err" &
	pid=$!
	exec 7>"$tmp/in"
}
stop() {
	exec 7>&-
	wait "$pid"
	local rc=$?
	pid=""
	return $rc
}
say() { printf '%s\n' "$1" >&7; }
# wait_for FILE NEEDLE SECONDS
wait_for() {
	local i
	for i in $(seq 1 $(($3 * 10))); do
		grep -qF -- "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}
count() { grep -cF -- "$2" "$1"; }
posted="Posted in this channel by the daily drill"

# 1. At the channel's hour in its zone.
start berlin 2026-03-30T08:59:55+02:00
say "/daily on time:09:00 timezone:Europe/Berlin days:daily"
wait_for "$tmp/berlin.out" "Next post: Mon 2026-03-30 09:00 Europe/Berlin (07:00 UTC)" 5 &&
	echo "PASS daily_on_says_next_post" || echo "FAIL daily_on_says_next_post: $(tail -n 4 "$tmp/berlin.out")"
wait_for "$tmp/berlin.out" "$posted" 20 && echo "PASS daily_posts_at_its_hour" ||
	echo "FAIL daily_posts_at_its_hour: $(tail -n 6 "$tmp/berlin.out")"
grep -q "Daily question" "$tmp/berlin.out" && grep -q "\[1\] Answer" "$tmp/berlin.out" &&
	grep -q "Model answer: http" "$tmp/berlin.out" && echo "PASS daily_post_has_buttons" ||
	echo "FAIL daily_post_has_buttons"
say "/daily status"
wait_for "$tmp/berlin.out" "Last post:" 5
grep -q "Last post: .*Mon 2026-03-30 09:00 Europe/Berlin (07:00 UTC)" "$tmp/berlin.out" &&
	echo "PASS daily_status_last_post" || echo "FAIL daily_status_last_post: $(tail -n 4 "$tmp/berlin.out")"
grep -q "Next post: Tue 2026-03-31 09:00 Europe/Berlin" "$tmp/berlin.out" &&
	echo "PASS daily_status_next_post" || echo "FAIL daily_status_next_post"
# A topic whose slug holds another's ("databases", "data") is still listed once each.
say "/daily on topics:databases,data,databases"
wait_for "$tmp/berlin.out" "topics: databases,data," 5 && echo "PASS daily_topics_listed_exactly" ||
	echo "FAIL daily_topics_listed_exactly: $(grep 'topics:' "$tmp/berlin.out" | tail -n 1)"
stop && echo "PASS daily_console_exits" || echo "FAIL daily_console_exits"

# 2. Spring forward in Berlin: 02:30 does not exist on 2026-03-29; it posts at 03:00 CEST.
start gap 2026-03-29T01:59:55+01:00
say "/daily on time:02:30 timezone:Europe/Berlin days:daily"
wait_for "$tmp/gap.out" "$posted" 20 && echo "PASS daily_spring_forward_posts" ||
	echo "FAIL daily_spring_forward_posts: $(tail -n 4 "$tmp/gap.out")"
say "/daily status"
wait_for "$tmp/gap.out" "Last post:" 5
grep -q "Last post: .*Sun 2026-03-29 03:00 Europe/Berlin (01:00 UTC)" "$tmp/gap.out" &&
	echo "PASS daily_spring_forward_at_first_valid_minute" ||
	echo "FAIL daily_spring_forward_at_first_valid_minute: $(grep 'Last post' "$tmp/gap.out")"
stop

# 3. Fall back in New York: 01:30 happens twice on 2026-11-01; one post, and a
# restart at the second 01:30 posts nothing more.
start back 2026-11-01T01:29:55-04:00
say "/daily on time:01:30 timezone:America/New_York days:daily"
wait_for "$tmp/back.out" "$posted" 20 && echo "PASS daily_fall_back_posts" ||
	echo "FAIL daily_fall_back_posts: $(tail -n 4 "$tmp/back.out")"
stop
start back 2026-11-01T01:29:58-05:00
sleep 6
say "/daily status"
wait_for "$tmp/back.out" "Next post: Mon 2026-11-02" 5
[ "$(count "$tmp/back.out" "$posted")" = 1 ] && echo "PASS daily_fall_back_posts_once" ||
	echo "FAIL daily_fall_back_posts_once: $(count "$tmp/back.out" "$posted") posts"
stop

# 4. Down at the hour: late within daily_catch_up (6 h), skipped past it.
start late 2026-03-30T08:00:00+02:00
say "/daily on time:09:00 timezone:Europe/Berlin days:daily"
wait_for "$tmp/late.out" "Next post" 5
stop
start late 2026-03-30T11:00:00+02:00
wait_for "$tmp/late.out" "$posted" 10 && echo "PASS daily_catch_up_posts_late" ||
	echo "FAIL daily_catch_up_posts_late: $(tail -n 4 "$tmp/late.out")"
stop
start late 2026-03-31T17:00:00+02:00
sleep 3
[ "$(count "$tmp/late.out" "$posted")" = 1 ] && grep -q "was missed (over daily_catch_up); skipped" \
	"$tmp/late.err" && echo "PASS daily_catch_up_skips_past_it" ||
	echo "FAIL daily_catch_up_skips_past_it: $(count "$tmp/late.out" "$posted") posts; $(tail -n 2 "$tmp/late.err")"
stop

# 5. Bad input gets a private error with a correct example, and changes nothing.
start bad 2026-03-30T08:00:00+02:00
say "/daily on time:25:00"
say "/daily on time:9am-ish"
say "/daily on timezone:Mars/Olympus"
say "/daily on days:funday"
say "/daily on topics:nosuchtopic"
say "/daily pause forever"
say "/daily holidays 2026-02-30"
say "/daily status"
wait_for "$tmp/bad.out" "Daily drill here" 5
for needle in "\`25:00\` is not a time of day" "\`9am-ish\` is not a time of day" \
	"Mars/Olympus" "\`funday\` is not a set of weekdays" "I don't know the topic \`nosuchtopic\`" \
	"Say for how many days" "Give the dates as YYYY-MM-DD"; do
	grep -qF -- "$needle" "$tmp/bad.out" && echo "PASS daily_refuses ${needle:0:24}" ||
		echo "FAIL daily_refuses $needle: $(tail -n 3 "$tmp/bad.out")"
done
grep -q "Daily drill here: off" "$tmp/bad.out" && echo "PASS daily_bad_input_changes_nothing" ||
	echo "FAIL daily_bad_input_changes_nothing"
stop

# 6. daily_catch_up is checked at start.
out=$(DRILLBOT_DAILY_CATCH_UP=soon DRILLBOT_DATABASE="$tmp/cfg.db" "$bin" console </dev/null 2>&1)
rc=$?
[ "$rc" = 78 ] && printf '%s' "$out" | grep -q 'daily_catch_up.*"soon" is not a duration' &&
	echo "PASS daily_catch_up_refused_clearly" || echo "FAIL daily_catch_up_refused_clearly: $rc $out"
out=$("$bin" console --clock tomorrow </dev/null 2>&1)
[ $? = 2 ] && printf '%s' "$out" | grep -q "RFC 3339" && echo "PASS console_clock_refused_clearly" ||
	echo "FAIL console_clock_refused_clearly: $out"
