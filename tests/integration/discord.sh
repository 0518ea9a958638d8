#!/usr/bin/env bash
# Runs the Discord scenarios: drillbot against the fake Discord in
# tests/fake/discord (gateway + REST, built from ../shared/discord).
# Prints PASS/FAIL/SKIP lines; tests/run counts them.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "FAIL discord_fake: node and npm are needed (apt-get install nodejs npm)"
	exit 0
fi
dir=tests/fake/discord
if [ ! -d "$dir/node_modules" ]; then
	if ! out=$(cd "$dir" && npm ci --silent --no-audit --no-fund 2>&1); then
		echo "FAIL discord_fake: npm ci in $dir failed: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
		exit 0
	fi
fi
exec node "$dir/run.js" "$@"
