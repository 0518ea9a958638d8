#!/usr/bin/env bash
# Drives `drillbot console` through a pipe, as a person would type, and
# checks the replies and what landed in the SQLite file.
set -u
bin=${DRILLBOT_BIN:-build/drillbot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DRILLBOT_DATABASE="$tmp/drill.db"
export DRILLBOT_PUBLIC_BASE_URL="https://drill.example"
export DRILLBOT_CONFIG="$tmp/none.ini"
: >"$DRILLBOT_CONFIG"

check() { # name, haystack file, needle
	if grep -qF -- "$3" "$2"; then
		echo "PASS $1"
	else
		echo "FAIL $1: output lacks \"$3\""
		sed 's/^/    | /' "$2" | tail -n 40
	fi
}

# The whole loop: question, Answer button, typed answer, Reveal, self-grade, stats.
strong='Cache-aside: the application checks the cache first and on a miss loads the row from the database, then the app stores it into the cache. Write-through writes both the cache and the database together on every update, so writes are slower.'
printf '%s\n' '/question caching' '1' "$strong" "/answer id:caching-strategies $strong" \
	'1' '3' '/stats' '/weak' '/leaderboard' '/frobnicate' '/question nosuchtopic' \
	| "$bin" console >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && echo "PASS console_exits_cleanly_at_eof" || { echo "FAIL console_exits_cleanly_at_eof: status $rc"; cat "$tmp/err"; }
check console_question_card "$tmp/out" "Caching ·"
check console_model_answer_link "$tmp/out" "https://drill.example/q/caching-"
check console_buttons_numbered "$tmp/out" "[1] Answer"
check console_answer_box "$tmp/out" "an empty line sends it"
check console_graded "$tmp/out" "Score: "
check console_covered_points "$tmp/out" "Covered"
check console_reveal "$tmp/out" "How did you do?"
check console_self_grade "$tmp/out" "Graded Good on"
check console_stats "$tmp/out" "Answers this week: 2"
check console_weak "$tmp/out" "Practise the weakest: \`/question caching\`"
check console_leaderboard "$tmp/out" "1. local — "
check console_unknown_command_help "$tmp/out" "I don't know the command \`/frobnicate\`"
check console_unknown_topic "$tmp/out" "I don't know the topic \`nosuchtopic\`"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT count(*) FROM answers WHERE self_grade = 2")
	[ "$n" = 1 ] && echo "PASS console_answer_stored_in_sqlite" || echo "FAIL console_answer_stored_in_sqlite: $n rows"
	n=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT count(*) FROM answers")
	[ "$n" = 2 ] && echo "PASS console_both_answers_stored" || echo "FAIL console_both_answers_stored: $n rows"
fi

# Accidents are not attempts: a bare /answer, Answer then Enter, a command
# typed into the box, "I don't know"; a multi-line paste is one answer, and
# /quit in the box quits.
export DRILLBOT_DATABASE="$tmp/accidents.db"
printf '%s\n' '/question caching' '/answer' '1' '' '1' '/stats' '/question caching' '1' \
	"I don't know" '' \
	'/answer id:caching-strategies The application checks the cache first.' \
	'/question caching' '1' 'Cache-aside: on a miss the application reads the database' \
	'and then stores the row in the cache itself.' '' '/question' '1' '/quit' '/stats' \
	| "$bin" console >"$tmp/acc" 2>&1
check accident_bare_answer "$tmp/acc" "Type your answer after the command"
check accident_empty_box "$tmp/acc" "was empty, so nothing was saved"
check accident_command_in_box_runs "$tmp/acc" "Your stats"
check accident_dont_know "$tmp/acc" "No score was recorded"
n=$(grep -c "Your stats" "$tmp/acc")
[ "$n" = 1 ] && echo "PASS accident_quit_in_box_quits" || echo "FAIL accident_quit_in_box_quits: $n stats replies"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT count(*) FROM answers")
	[ "$n" = 2 ] && echo "PASS accident_nothing_stored" || echo "FAIL accident_nothing_stored: $n rows"
	n=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT count(*) FROM answers WHERE text LIKE '%stores the row in the cache itself.'")
	[ "$n" = 1 ] && echo "PASS console_multiline_one_answer" || echo "FAIL console_multiline_one_answer: $n rows"
fi
export DRILLBOT_DATABASE="$tmp/drill.db"

# Farming, as the issue saw it: the same answer five times, the key points
# pasted back after Reveal, an answer after revealing. Points come once.
export DRILLBOT_DATABASE="$tmp/farm.db"
kp='Cache-aside: the application checks the cache and, on a miss, reads the database and stores the result itself. Read-through moves the loading into the cache layer, so the application only talks to the cache. Write-through writes to the cache and the database in the same synchronous operation, at the cost of slower writes.'
printf '%s\n' "/answer id:caching-strategies $strong" "/answer id:caching-strategies $strong" \
	"/answer id:caching-strategies $strong" "/answer id:caching-strategies $strong" \
	"/answer id:caching-strategies $strong" '1' "/answer id:caching-strategies $kp" \
	'/question caching' '2' "/answer $strong" '/leaderboard all' \
	| "$bin" console >"$tmp/farm" 2>&1
first=$(grep -o 'Score: [0-9]*/100' "$tmp/farm" | head -n 1 | grep -o '[0-9]*' | head -n 1)
check farm_first_answer_earns "$tmp/farm" "+$first points"
n=$(grep -c "a question counts once every 30 days" "$tmp/farm")
[ "$n" = 4 ] && echo "PASS farm_repeats_earn_nothing" || echo "FAIL farm_repeats_earn_nothing: $n"
check farm_paste_recognised "$tmp/farm" "reads like the model answer pasted back"
check farm_after_reveal "$tmp/farm" "you had seen the answer"
check farm_leaderboard_counts_once "$tmp/farm" "1. local — $first"
export DRILLBOT_DATABASE="$tmp/drill.db"

# Privacy on the board, as a person types it: hidden, the rank shown privately; a reset
# asked first and cancelled with its button; the export printed whole, with its file link.
export DRILLBOT_DATABASE="$tmp/privacy.db"
printf '%s\n' "/answer id:caching-strategies $strong" '/settings leaderboard hide' '/leaderboard' \
	'/leaderboard reset' '2' '/leaderboard all' '/export-me' \
	| "$bin" console >"$tmp/priv" 2>&1
pts=$(grep -o '+[0-9]* points' "$tmp/priv" | head -n 1 | grep -o '[0-9]*')
check privacy_hidden_counted "$tmp/priv" "1 player who keeps their place private."
check privacy_own_rank_private "$tmp/priv" "You: #1 with $pts points (only you see this: you keep your place private"
check privacy_reset_asks "$tmp/priv" "[1] Start a new season"
check privacy_reset_cancelled "$tmp/priv" "Nothing changed: the board keeps its points."
check privacy_all_time_kept "$tmp/priv" "Leaderboard · all time"
check privacy_export_link "$tmp/priv" "Download my data: https://drill.example/export/"
if out=$(python3 - "$tmp/priv" "$pts" 2>&1 <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("Your data (JSON, format version 1")) + 1
end = lines.index("}", start)
d = json.loads("\n".join(lines[start:end + 1]))
assert d["format"] == "drillbot-export" and d["version"] == 1, d
assert d["settings"] == {"name": "local", "platform": "console", "timezone": None,
                         "leaderboard": "hidden", "open_question": None,
                         "reviewer": False}, d["settings"]
assert [a["question"] for a in d["answers"]] == ["caching-strategies"], d["answers"]
assert d["answers"][0]["points"] == int(sys.argv[2]), d["answers"]
assert {p["period"] for p in d["points"] if p["season"] == 0} >= {"all"}, d["points"]
PY
); then echo "PASS privacy_export_printed_whole"; else echo "FAIL privacy_export_printed_whole: $out"; fi
export DRILLBOT_DATABASE="$tmp/drill.db"

# Plain text outside an answer box gets one short hint, not the help; 200 KB
# of random bytes neither crash the console nor print the help hundreds of times.
printf '%s\n' 'hello' 'hello there' | "$bin" console >"$tmp/plain" 2>&1
n=$(grep -c "Commands start with" "$tmp/plain")
[ "$n" = 1 ] && echo "PASS plain_text_one_hint" || echo "FAIL plain_text_one_hint: $n hints"
n=$(grep -c "drillbot commands" "$tmp/plain")
[ "$n" = 0 ] && echo "PASS plain_text_not_whole_help" || echo "FAIL plain_text_not_whole_help: $n"
head -c 200000 /dev/urandom | DRILLBOT_DATABASE="$tmp/noise.db" "$bin" console >"$tmp/noise" 2>&1
rc=$?
[ $rc -eq 0 ] && echo "PASS noise_survived" || echo "FAIL noise_survived: status $rc"
n=$(grep -c "drillbot commands" "$tmp/noise")
[ "$n" -le 3 ] && echo "PASS noise_no_help_flood" || echo "FAIL noise_no_help_flood: the help $n times"

# Installed, and run outside the checkout, the binary finds its bank in the
# installed data directory and says which one it used; with no bank at all
# it says what is missing instead of "create it".
if make -s install BUILD="$tmp/b" PREFIX="$tmp/p" >"$tmp/inst" 2>&1; then
	(cd "$tmp" && echo /quit | DRILLBOT_DATABASE="$tmp/inst.db" "$tmp/p/bin/drillbot" console \
		>"$tmp/inst" 2>&1)
	check installed_finds_bank "$tmp/inst" "question bank: $tmp/p/share/drillbot/content (3"
	rm -rf "$tmp/p/share/drillbot/content"
	(cd "$tmp" && echo /quit | DRILLBOT_DATABASE="$tmp/inst.db" "$tmp/p/bin/drillbot" console \
		>"$tmp/inst" 2>&1)
	check installed_missing_bank "$tmp/inst" "no question bank found"
	unit="$tmp/p/lib/systemd/system/drillbot.service"
	grep -qF "ExecStart=$tmp/p/bin/drillbot run" "$unit" && echo "PASS unit_installed_with_prefix" \
		|| echo "FAIL unit_installed_with_prefix"
	if command -v systemd-analyze >/dev/null; then
		# verify prints unknown keys and bad values but exits 0 for them: any output fails.
		if systemd-analyze verify "$unit" >"$tmp/verify" 2>&1 && [ ! -s "$tmp/verify" ]; then
			echo "PASS unit_verifies"
		else
			echo "FAIL unit_verifies:"
			sed 's/^/    | /' "$tmp/verify"
		fi
	else
		echo "SKIP unit_verifies: systemd-analyze is not installed"
	fi
else
	echo "FAIL installed_finds_bank: make install failed"
	cat "$tmp/inst"
fi

# Credentials: say exactly what was found.
printf 'MTA1.abcdefghijklmnopqrstuvwxyz.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG' >"$tmp/tok"
chmod 600 "$tmp/tok"
# (Never `run` with a Discord token here: that would reach the real Discord.
# tests/integration/discord.sh runs it against the fake.)
printf 'xoxb-1-fake-bot-token' >"$tmp/sbot"
printf 'xapp-1-fake-app-token' >"$tmp/sapp"
chmod 600 "$tmp/sbot" "$tmp/sapp"
# (Nor with both Slack tokens: tests/integration/slack.sh runs that against the fake Slack.
# One of the two is refused before any connection, naming the missing one.)
DRILLBOT_SLACK_BOT_TOKEN_FILE="$tmp/sbot" "$bin" run </dev/null >"$tmp/cred" 2>&1
check run_names_missing_slack_token "$tmp/cred" "the Slack app-level token is missing"
echo /quit | DRILLBOT_SLACK_BOT_TOKEN_FILE="$tmp/sbot" DRILLBOT_SLACK_APP_TOKEN_FILE="$tmp/sapp" \
	"$bin" console >"$tmp/cred" 2>&1
check console_names_slack_tokens "$tmp/cred" "(Slack tokens are set;"
echo /quit | DRILLBOT_DISCORD_TOKEN_FILE="$tmp/tok" "$bin" console >"$tmp/cred" 2>&1
check console_names_found_token "$tmp/cred" "(a Discord token is set;"
n=$(grep -c "no Discord or Slack credentials" "$tmp/cred")
[ "$n" = 0 ] && echo "PASS console_no_false_none" || echo "FAIL console_no_false_none"

# The database tools: a backup made while the file is in use, a check of it,
# and a damaged file refused at start and described by `db check`, untouched.
"$bin" db backup "$tmp/backup.db" >"$tmp/db" 2>&1
check db_backup_made "$tmp/db" "backed up $DRILLBOT_DATABASE to $tmp/backup.db"
DRILLBOT_DATABASE="$tmp/backup.db" "$bin" db check >>"$tmp/db" 2>&1
check db_backup_checks_ok "$tmp/db" "$tmp/backup.db: ok"
"$bin" db backup "$tmp/backup.db" >>"$tmp/db" 2>&1
check db_backup_never_overwrites "$tmp/db" "already exists; give the backup a new file name"
cp "$tmp/farm.db" "$tmp/broken.db"
size=$(stat -c %s "$tmp/broken.db")
if [ "$size" -gt 20480 ]; then
	head -c 4096 /dev/urandom | dd of="$tmp/broken.db" bs=1 seek=12288 conv=notrunc 2>/dev/null
	sum=$(md5sum <"$tmp/broken.db")
	echo /stats | DRILLBOT_DATABASE="$tmp/broken.db" "$bin" console >"$tmp/broken" 2>&1
	rc=$?
	[ $rc -ne 0 ] && echo "PASS damaged_db_refused" || echo "FAIL damaged_db_refused: status 0"
	check damaged_db_says_damaged "$tmp/broken" "is damaged"
	DRILLBOT_DATABASE="$tmp/broken.db" "$bin" db check >"$tmp/broken2" 2>&1
	check damaged_db_check_lists "$tmp/broken2" "restore the latest backup"
	[ "$(md5sum <"$tmp/broken.db")" = "$sum" ] && echo "PASS damaged_db_untouched" || echo "FAIL damaged_db_untouched"
else
	echo "FAIL damaged_db_refused: the farm database is only $size bytes"
fi

# A broken config line is refused with file:line and the fix.
printf 'log_level = info\ndatabse = x.db\n' >"$tmp/bad.ini"
DRILLBOT_CONFIG="$tmp/bad.ini" "$bin" console </dev/null >"$tmp/out2" 2>&1
rc=$?
[ $rc -eq 78 ] && echo "PASS bad_config_refused" || echo "FAIL bad_config_refused: status $rc, want 78"
check bad_config_names_line "$tmp/out2" "bad.ini:2: unknown key \"databse\"; did you mean \"database\"?"

# The command line: subcommands from one table, global options on either side.
"$bin" consol </dev/null >"$tmp/sub" 2>&1
rc=$?
[ $rc -eq 2 ] && echo "PASS subcommand_unknown_status" || echo "FAIL subcommand_unknown_status: $rc"
check subcommand_did_you_mean "$tmp/sub" "unknown subcommand \`consol\`; did you mean \`drillbot console\`?"
"$bin" --version >"$tmp/ver" 2>&1
n=$(wc -l <"$tmp/ver")
[ "$n" = 1 ] && echo "PASS version_one_line" || echo "FAIL version_one_line: $n lines"
check version_names_libraries "$tmp/ver" "libwebsockets"
bad_orders=""
for order in "-c $tmp/bad.ini console" "console -c $tmp/bad.ini" "console --config=$tmp/bad.ini"; do
	# shellcheck disable=SC2086
	"$bin" $order </dev/null >"$tmp/gopt" 2>&1
	grep -qF "bad.ini:2: unknown key" "$tmp/gopt" || bad_orders="$bad_orders '$order'"
done
[ -z "$bad_orders" ] && echo "PASS global_config_option" || echo "FAIL global_config_option:$bad_orders"

# A file that is not a database is refused and left as it was.
printf 'my precious notes\n' >"$tmp/notes.db"
sum=$(md5sum <"$tmp/notes.db")
DRILLBOT_DATABASE="$tmp/notes.db" "$bin" console </dev/null >"$tmp/out3" 2>&1
rc=$?
[ $rc -ne 0 ] && [ "$(md5sum <"$tmp/notes.db")" = "$sum" ] && echo "PASS foreign_db_untouched" \
	|| echo "FAIL foreign_db_untouched: status $rc"
check foreign_db_message "$tmp/out3" "is not a SQLite database; it was left untouched"

# A 20,000-character line is refused with the limit, and nothing is lost after it.
long=$(head -c 20000 /dev/zero | tr '\0' 'a')
printf '/question api\n/answer %s\n/stats\n' "$long" | DRILLBOT_DATABASE="$tmp/long.db" "$bin" console >"$tmp/out4" 2>&1
check long_answer_refused "$tmp/out4" "the limit is 4000"
check long_answer_then_stats "$tmp/out4" "Answers this week: 0"

# SIGTERM mid-session: the answer already given is kept, the store closes
# cleanly (SQLite removes the -wal file on a clean close) and the exit is 0.
mkfifo "$tmp/in"
DRILLBOT_DATABASE="$tmp/term.db" "$bin" console <"$tmp/in" >"$tmp/out5" 2>&1 &
pid=$!
exec 7>"$tmp/in"
printf '/answer id:api-idempotency Retrying a PUT leaves the same state, so the client can resend it safely after a timeout.\n' >&7
for _ in $(seq 1 100); do grep -q "Score:" "$tmp/out5" && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
rc=$?
exec 7>&-
[ $rc -eq 0 ] && echo "PASS sigterm_clean_exit" || { echo "FAIL sigterm_clean_exit: status $rc"; cat "$tmp/out5"; }
[ ! -e "$tmp/term.db-wal" ] && echo "PASS sigterm_store_closed" || echo "FAIL sigterm_store_closed: -wal left behind"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$tmp/term.db" "SELECT count(*) FROM answers")
	[ "$n" = 1 ] && echo "PASS sigterm_answer_kept" || echo "FAIL sigterm_answer_kept: $n rows"
fi

# What the console reads is text: a long answer typed into the box is graded
# whole (not dropped past 256 bytes), an over-long one is told its real
# length, a NUL byte is refused, bytes that are not UTF-8 become U+FFFD in
# the store, and control sequences from input are shown, never sent.
export DRILLBOT_DATABASE="$tmp/input.db"
para='Cache-aside: the application checks the cache first; on a miss it reads the row from the database and then stores it in the cache itself, with a TTL.'
printf '%s\n' '/question caching' '1' "$para $para $para" '' >"$tmp/in_box"
"$bin" console <"$tmp/in_box" >"$tmp/box" 2>&1
check box_long_answer_graded "$tmp/box" "Score: "
n=$(grep -c "was empty" "$tmp/box")
[ "$n" = 0 ] && echo "PASS box_long_answer_not_dropped" || echo "FAIL box_long_answer_not_dropped"
words=$(head -c 30000 /dev/zero | tr '\0' 'w')
printf '%s\n' '/question caching' '1' "$words" "$words" '' | "$bin" console >"$tmp/real" 2>&1
check box_real_length "$tmp/real" "Your answer is 60001 characters"
printf '/answer id:caching-strategies The app reads\000 the cache first and loads the database on a miss.\n/stats\n' \
	| DRILLBOT_DATABASE="$tmp/nul.db" "$bin" console >"$tmp/nul" 2>&1
check nul_byte_refused "$tmp/nul" "holds a NUL byte"
check nul_then_stats "$tmp/nul" "Answers this week: 0"
printf '/answer id:caching-strategies The app reads the cache first \377and loads the database on a miss, then stores the row.\n' \
	| "$bin" console >"$tmp/utf" 2>&1
check invalid_utf8_said "$tmp/utf" "not UTF-8"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$DRILLBOT_DATABASE" "SELECT count(*) FROM answers WHERE instr(text, char(65533)) > 0")
	[ "$n" = 1 ] && echo "PASS invalid_utf8_stored_repaired" || echo "FAIL invalid_utf8_stored_repaired: $n"
fi
printf '/question \033]0;owned\007\033[2J\n' | "$bin" console >"$tmp/esc" 2>&1
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/esc"; then
	echo "FAIL control_sequences_not_sent: ESC reached the terminal"
else
	echo "PASS control_sequences_not_sent"
fi
check control_sequences_shown "$tmp/esc" '^[]0;owned^G^[[2J'
printf '/help\n' | NO_COLOR=1 "$bin" console >"$tmp/nocolor" 2>&1
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/nocolor"; then
	echo "FAIL pipe_has_no_colour"
else
	echo "PASS pipe_has_no_colour"
fi
export DRILLBOT_DATABASE="$tmp/drill.db"
