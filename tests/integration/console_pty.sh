#!/usr/bin/env bash
# The console through a pseudo-terminal (see console_pty.py).
exec python3 "$(dirname "$0")/console_pty.py"
