#!/usr/bin/env bash
# The daily drill in the console, on a clock started just before the post
# (drillbot console --clock): a post at the channel's hour in its zone, on
# a spring-forward day at a time that does not exist, once across a
# restart on the fall-back day, late within daily_catch_up and skipped
# past it, the refusals of bad /daily input, and the reveal of the
# answers at its own time (the fall-back day, a restart between, a time
# the clocks skip). Each wait is a few seconds of real time.
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
# Answer first (issue 22): the post has its Answer box and no Reveal or model-answer link.
grep -q "Daily question" "$tmp/berlin.out" && grep -q "\[1\] Answer" "$tmp/berlin.out" &&
	! grep -q "\[2\]\|Model answer\|/q/" "$tmp/berlin.out" && echo "PASS daily_post_has_only_answer" ||
	echo "FAIL daily_post_has_only_answer: $(grep -A 12 "$posted" "$tmp/berlin.out")"
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
say "/daily on reveal:5pm"
say "/daily status"
wait_for "$tmp/bad.out" "Daily drill here" 5
for needle in "\`25:00\` is not a time of day" "\`9am-ish\` is not a time of day" \
	"Mars/Olympus" "\`funday\` is not a set of weekdays" "I don't know the topic \`nosuchtopic\`" \
	"Say for how many days" "Give the dates as YYYY-MM-DD" "\`5pm\` is not a time of day"; do
	grep -qF -- "$needle" "$tmp/bad.out" && echo "PASS daily_refuses ${needle:0:24}" ||
		echo "FAIL daily_refuses $needle: $(tail -n 3 "$tmp/bad.out")"
done
grep -q "Daily drill here: off" "$tmp/bad.out" && echo "PASS daily_bad_input_changes_nothing" ||
	echo "FAIL daily_bad_input_changes_nothing"
stop

# 6. Answer first, see others after (issue 22), on Berlin's fall-back day (2026-10-25,
# CEST until 03:00): the post at 09:00 CET collects answers privately; the reveal at
# 17:00 CET (16:00 UTC) comes once, across a restart between the post and the reveal
# and another after it.
revealed="Answers revealed"
start rv 2026-10-25T08:59:55+01:00
say "/settings quote on"
say "/daily on time:09:00 timezone:Europe/Berlin days:daily topics:caching reveal:17:00"
wait_for "$tmp/rv.out" "$posted" 20 && echo "PASS daily_reveal_day_posts" ||
	echo "FAIL daily_reveal_day_posts: $(tail -n 6 "$tmp/rv.out")"
grep -A 12 "$posted" "$tmp/rv.out" | grep -q "revealed at 17:00 Europe/Berlin" &&
	! grep -q "Model answer\|/q/" "$tmp/rv.out" && echo "PASS daily_reveal_post_hides_answer" ||
	echo "FAIL daily_reveal_post_hides_answer: $(grep -A 12 "$posted" "$tmp/rv.out")"
say "1"
say "A cache-aside read checks the cache first and on a miss loads the row from the database, then stores it in the cache with a TTL so later reads are fast."
say ""
wait_for "$tmp/rv.out" "Score: " 5
# The grade comes at once, marked private.
grep -B 1 "^Score: " "$tmp/rv.out" | head -n 1 | grep -qF "(only you can see this)" &&
	echo "PASS daily_reveal_own_grade_private_at_once" ||
	echo "FAIL daily_reveal_own_grade_private_at_once: $(grep -B 2 "Score: " "$tmp/rv.out")"
say "/daily status"
wait_for "$tmp/rv.out" "Next reveal: " 5 &&
	grep -q "Next reveal: \`caching-.*\`, Sun 2026-10-25 17:00 Europe/Berlin (16:00 UTC)" "$tmp/rv.out" &&
	echo "PASS daily_reveal_next_at_17_cet" ||
	echo "FAIL daily_reveal_next_at_17_cet: $(grep 'reveal' "$tmp/rv.out" | tail -n 2)"
[ "$(count "$tmp/rv.out" "$revealed")" = 0 ] && echo "PASS daily_reveal_nothing_before" ||
	echo "FAIL daily_reveal_nothing_before: $(grep -A 5 "$revealed" "$tmp/rv.out")"
stop
start rv 2026-10-25T16:59:55+01:00
wait_for "$tmp/rv.out" "$revealed" 20 && echo "PASS daily_reveal_at_its_time_after_restart" ||
	echo "FAIL daily_reveal_at_its_time_after_restart: $(tail -n 6 "$tmp/rv.out")"
wait_for "$tmp/rv.out" "Type a number" 5
block=$(sed -n "/$revealed/,/Type a number/p" "$tmp/rv.out")
printf '%s' "$block" | grep -q "1 answered" && printf '%s' "$block" | grep -q '█ 1$' &&
	printf '%s' "$block" | grep -q "^- local (\|No answer quoted" &&
	printf '%s' "$block" | grep -q "/q/caching-" &&
	echo "PASS daily_reveal_counts_spread_quote_link" ||
	echo "FAIL daily_reveal_counts_spread_quote_link: $block"
say "/daily status"
wait_for "$tmp/rv.out" "Last reveal: " 5 &&
	grep -q "Last reveal: \`caching-.*\`, Sun 2026-10-25 17:00 Europe/Berlin (16:00 UTC)" "$tmp/rv.out" &&
	echo "PASS daily_reveal_recorded_at_17_cet" ||
	echo "FAIL daily_reveal_recorded_at_17_cet: $(grep 'reveal' "$tmp/rv.out" | tail -n 2)"
stop
start rv 2026-10-25T17:00:30+01:00
sleep 3
say "/daily status"
wait_for "$tmp/rv.out" "Daily drill here" 5
[ "$(count "$tmp/rv.out" "$revealed")" = 1 ] && echo "PASS daily_reveal_once" ||
	echo "FAIL daily_reveal_once: $(count "$tmp/rv.out" "$revealed") reveals"
stop

# 7. A reveal time the clocks skip: 02:30 on 2026-03-29 in Berlin reveals at 03:00 CEST.
start rvgap 2026-03-29T01:59:52+01:00
say "/daily on time:01:00 timezone:Europe/Berlin days:daily reveal:02:30"
say "/daily now"
say "/daily status"
wait_for "$tmp/rvgap.out" "Next reveal: " 5 &&
	grep -q "Next reveal: .*Sun 2026-03-29 03:00 Europe/Berlin (01:00 UTC)" "$tmp/rvgap.out" &&
	echo "PASS daily_reveal_spring_forward_next" ||
	echo "FAIL daily_reveal_spring_forward_next: $(grep 'reveal' "$tmp/rvgap.out" | tail -n 2)"
wait_for "$tmp/rvgap.out" "$revealed" 20 && echo "PASS daily_reveal_spring_forward_reveals" ||
	echo "FAIL daily_reveal_spring_forward_reveals: $(tail -n 6 "$tmp/rvgap.out")"
grep -q "Nobody answered" "$tmp/rvgap.out" && echo "PASS daily_reveal_nobody_answered" ||
	echo "FAIL daily_reveal_nobody_answered"
say "/daily status"
wait_for "$tmp/rvgap.out" "Last reveal: " 5 &&
	grep -q "Last reveal: .*Sun 2026-03-29 03:00 Europe/Berlin (01:00 UTC)" "$tmp/rvgap.out" &&
	echo "PASS daily_reveal_spring_forward_at_03" ||
	echo "FAIL daily_reveal_spring_forward_at_03: $(grep 'reveal' "$tmp/rvgap.out" | tail -n 2)"
stop

# 8. daily_catch_up is checked at start.
out=$(DRILLBOT_DAILY_CATCH_UP=soon DRILLBOT_DATABASE="$tmp/cfg.db" "$bin" console </dev/null 2>&1)
rc=$?
[ "$rc" = 78 ] && printf '%s' "$out" | grep -q 'daily_catch_up.*"soon" is not a duration' &&
	echo "PASS daily_catch_up_refused_clearly" || echo "FAIL daily_catch_up_refused_clearly: $rc $out"
out=$("$bin" console --clock tomorrow </dev/null 2>&1)
[ $? = 2 ] && printf '%s' "$out" | grep -q "RFC 3339" && echo "PASS console_clock_refused_clearly" ||
	echo "FAIL console_clock_refused_clearly: $out"
