#!/usr/bin/env bash
# Runs the Slack scenarios: drillbot against the fake Slack in
# tests/fake/slack (Web API, response_url and Socket Mode, from Slack's
# docs), after checking that config/slack-manifest.json is what
# `drillbot slack-manifest` prints. PASS/FAIL/SKIP lines; tests/run counts them.
cd "$(dirname "$0")/../.." || exit 1
bin=${DRILLBOT_BIN:-build/drillbot}
ini=$(mktemp)
if out=$(env -u DRILLBOT_SLACK_COMMAND_PREFIX DRILLBOT_CONFIG="$ini" "$bin" slack-manifest 2>&1) &&
	[ "$out" = "$(cat config/slack-manifest.json)" ]; then
	echo "PASS slack_manifest_current"
else
	echo "FAIL slack_manifest_current: config/slack-manifest.json differs from \`drillbot slack-manifest\`; run \`build/drillbot slack-manifest > config/slack-manifest.json\`: $(diff <(printf '%s\n' "$out") config/slack-manifest.json | head -n 5 | tr '\n' ' ')"
fi
rm -f "$ini"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "FAIL slack_fake: node and npm are needed (apt-get install nodejs npm)"
	exit 0
fi
# The with_discord scenario drives the fake Discord too.
for dir in tests/fake/slack tests/fake/discord; do
	if [ ! -d "$dir/node_modules" ]; then
		if ! out=$(cd "$dir" && npm ci --silent --no-audit --no-fund 2>&1); then
			echo "FAIL slack_fake: npm ci in $dir failed: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
			exit 0
		fi
	fi
done
dir=tests/fake/slack
exec node "$dir/run.js" "$@"
