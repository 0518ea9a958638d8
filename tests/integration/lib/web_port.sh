# Sourced by the web tests (tests/run runs only tests/integration/*.sh, not this).
# web_port ERR_FILE: the port of the "web pages on http://127.0.0.1:PORT/" line
# a bot logs to ERR_FILE, waiting up to 10 s for it; prints nothing if none came.
web_port() {
	local p=""
	for _ in $(seq 1 100); do
		p=$(grep -o 'web pages on http://127.0.0.1:[0-9]*/' "$1" | grep -o '[0-9]*/$' | tr -d /)
		[ -n "$p" ] && break
		sleep 0.1
	done
	printf '%s' "$p"
}
