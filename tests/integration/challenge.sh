#!/usr/bin/env bash
# Challenges of a grade (issue 22) through the console: a member answers and
# challenges a missed point, the admin accepts it in /review, the member hears
# of it; `drillbot content challenges` lists it for the authors, and once the
# phrasing the answer used is added to a copy of the bank the same answer is
# credited by the grader.
set -u
bin=${DRILLBOT_BIN:-build/drillbot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DRILLBOT_DATABASE="$tmp/drill.db"
export DRILLBOT_CONFIG="$tmp/none.ini"
export DRILLBOT_CONTENT_DIR="$PWD/tests/fixtures/content/good"
: >"$DRILLBOT_CONFIG"

check() { # name, haystack file, needle
	if grep -qF -- "$3" "$2"; then
		echo "PASS $1"
	else
		echo "FAIL $1: output lacks \"$3\""
		sed 's/^/    | /' "$2" | tail -n 40
	fi
}

# Point 2 of beta-one ("The loaded value is written into the cache") in words the bank lacks.
answer='On a miss the app falls back to the database and keeps a copy of the row in the cache.'
printf '%s\n' "$answer" >"$tmp/answer.txt"

# alice: the graded reply quotes what the grader heard; Challenge [4], then point 2 [1].
printf '%s\n' "/answer id:beta-one $answer" '4' '1' '/review' |
	"$bin" console --user alice >"$tmp/alice" 2>"$tmp/err"
check challenge_heard_words "$tmp/alice" '— heard “falls back to the database”'
check challenge_button "$tmp/alice" '[4] Challenge'
check challenge_one_button_per_missed_point "$tmp/alice" '[3] I covered point 4'
check challenge_sent "$tmp/alice" 'Challenge #1 sent'
check challenge_member_cannot_review "$tmp/alice" "Only the team's reviewers rule"

# The admin at the terminal reviews and accepts; pressing Accept again changes nothing.
printf '%s\n' '/review' '1' '/review' '/leaderboard all' | "$bin" console >"$tmp/admin" 2>&1
check review_shows_point "$tmp/admin" 'Point 2 they say they covered: The loaded value is written'
check review_shows_answer "$tmp/admin" "Answer: “$answer”"
check review_accepted "$tmp/admin" 'The answer now scores 50/100 (was 25), +25 points'
check review_queue_empty "$tmp/admin" 'No challenges are open in this team'
check review_leaderboard_corrected "$tmp/admin" '1. alice — 50'
if command -v sqlite3 >/dev/null; then
	row=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT a.score, a.points, c.status, c.points_delta,
		(SELECT points FROM scores WHERE period = 'all') FROM challenges c
		JOIN answers a ON a.id = c.answer_id")
	[ "$row" = "50|50|accepted|25|50" ] && echo "PASS challenge_stored_once" ||
		echo "FAIL challenge_stored_once: $row"
fi

# alice hears of it on her next private reply, and once.
printf '%s\n' '/stats' '/stats' | "$bin" console --user alice >"$tmp/told" 2>&1
check challenge_user_told "$tmp/told" 'A reviewer accepted your challenge of `beta-one`: point 2'
n=$(grep -c 'A reviewer accepted your challenge' "$tmp/told")
[ "$n" = 1 ] && echo "PASS challenge_user_told_once" || echo "FAIL challenge_user_told_once: $n times"

# The authors' list: per question and key point, with the answer's words.
"$bin" content challenges --db "$DRILLBOT_DATABASE" >"$tmp/list" 2>&1
check content_challenges_point "$tmp/list" 'beta-one, key point 2: The loaded value is written into the cache'
check content_challenges_answer "$tmp/list" "    $answer"
check content_challenges_summary "$tmp/list" '1 accepted challenge of 1 key point'
DRILLBOT_DATABASE="$tmp/empty.db" "$bin" console </dev/null >/dev/null 2>&1
"$bin" content challenges --db "$tmp/empty.db" >"$tmp/none" 2>&1
check content_challenges_none "$tmp/none" 'no accepted challenges yet'
"$bin" content challenges --db "$tmp/typo.db" >"$tmp/typo" 2>&1
[ $? = 1 ] && [ ! -e "$tmp/typo.db" ] && grep -q 'there is no database at' "$tmp/typo" &&
	echo "PASS content_challenges_no_stray_db" || echo "FAIL content_challenges_no_stray_db: $(cat "$tmp/typo")"
"$bin" content challenges --bogus >"$tmp/bad" 2>&1
[ $? = 2 ] && grep -q 'takes only --db PATH' "$tmp/bad" && echo "PASS content_challenges_usage" ||
	echo "FAIL content_challenges_usage: $(cat "$tmp/bad")"

# The accepted answer, as the list prints it, is fed back to the grader. Before, the bank
# misses its phrasing; after the phrasing is added to a copy of the bank, it is credited.
sed -n 's/^    //p' "$tmp/list" >"$tmp/accepted.txt"
cmp -s "$tmp/accepted.txt" "$tmp/answer.txt" && echo "PASS accepted_answer_listed_whole" ||
	echo "FAIL accepted_answer_listed_whole: $(cat "$tmp/accepted.txt")"
"$bin" content grade beta-one "$DRILLBOT_CONTENT_DIR" <"$tmp/accepted.txt" >"$tmp/before" 2>&1
check grade_before_missed "$tmp/before" '[ ] The loaded value is written into the cache'
check grade_before_score "$tmp/before" 'score 25/100'
cp -r "$DRILLBOT_CONTENT_DIR" "$tmp/bank"
sed -i 's/^  - populate cache$/&\n  - keep copy cache/' "$tmp/bank/beta/beta-one.md"
grep -q '^  - keep copy cache$' "$tmp/bank/beta/beta-one.md" || echo "FAIL phrasing_added: sed did not add it"
"$bin" content lint "$tmp/bank" --min-per-topic 0 --min-questions 0 >"$tmp/lint" 2>&1 && echo "PASS phrasing_lints" ||
	{ echo "FAIL phrasing_lints"; sed 's/^/    | /' "$tmp/lint"; }
"$bin" content grade beta-one "$tmp/bank" <"$tmp/accepted.txt" >"$tmp/after" 2>&1
check grade_after_credited "$tmp/after" '[x] The loaded value is written into the cache'
check grade_after_heard "$tmp/after" 'heard: keeps a copy of the row in the cache'
check grade_after_score "$tmp/after" 'score 50/100'

"$bin" console --user 'bad name' </dev/null >"$tmp/u" 2>&1
[ $? = 2 ] && grep -q 'drillbot console --user alice' "$tmp/u" && echo "PASS console_user_refused_clearly" ||
	echo "FAIL console_user_refused_clearly: $(cat "$tmp/u")"
