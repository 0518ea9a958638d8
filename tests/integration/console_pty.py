#!/usr/bin/env python3
"""Drives `drillbot console` through a pseudo-terminal, as a person types:
line editing (left arrow, insert), history (up arrow, Ctrl-R), Tab to
complete a command, colour only without NO_COLOR, Ctrl-D to leave, and the
history file kept private. Prints PASS/FAIL lines for tests/run."""
import os
import pty
import select
import signal
import stat
import sys
import tempfile
import time

BIN = os.environ.get("DRILLBOT_BIN", "build/drillbot")


class Term:
    def __init__(self, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(BIN, [BIN, "console"], env)
        self.out = b""
        self.mark = 0

    def prompt(self, timeout=20.0):
        """Waits until the prompt is back after what was last sent: a person types
        once it is, and so must the test (before it, the terminal is not yet in
        libedit's raw mode and the line discipline would eat ^R)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.out.endswith(b"> ") and self.out.rfind(b"> ") >= self.mark:
                return True
            self.read_until(b"\0never", timeout=0.1)
        return False

    def read_until(self, needle, count=1, timeout=20.0):
        """Reads until needle occurs count times; a liveness bound, not a timing check."""
        end = time.monotonic() + timeout
        while self.out.count(needle) < count and time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.out += data
        return self.out.count(needle) >= count

    def send(self, s):
        self.mark = len(self.out)
        os.write(self.fd, s.encode())

    def wait(self, timeout=20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                return os.waitstatus_to_exitcode(status)
            self.read_until(b"\0never", timeout=0.2)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


def check(name, ok, why=""):
    print(("PASS %s" % name) if ok else ("FAIL %s: %s" % (name, why)))
    sys.stdout.flush()


def session(tmp, extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tmp,
        "TERM": "xterm",
        "DRILLBOT_DATABASE": os.path.join(tmp, "pty.db"),
        "DRILLBOT_CONFIG": os.path.join(tmp, "none.ini"),
        "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
        "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", ""),
    }
    env.update(extra)
    return Term(env)


def main():
    tmp = tempfile.mkdtemp()
    open(os.path.join(tmp, "none.ini"), "w").close()
    t = session(tmp, {})
    check("pty_prompt", t.prompt(), "no prompt: %r" % t.out[-300:])
    # Left arrow twice and an insert turn "/stts" into "/stats".
    t.send("/stts\x1b[D\x1b[Da\r")
    check("pty_left_arrow_edit", t.read_until(b"Your stats"), "%r" % t.out[-400:])
    check("pty_colour_on_terminal", b"\x1b[1mYour stats" in t.out, "no bold title")
    t.prompt()
    t.send("/question caching\r")
    check("pty_question", t.read_until(b"Model answer: http"), "%r" % t.out[-400:])
    # Up twice recalls /stats.
    t.prompt()
    t.send("\x1b[A\x1b[A\r")
    check("pty_up_arrow_history", t.read_until(b"Your stats", 2), "%r" % t.out[-400:])
    # Ctrl-R completes what is typed from the newest line that starts so.
    # A person sees the completed line before pressing Enter; so does the test.
    t.prompt()
    t.send("/que\x12")
    t.read_until(b"stion caching", t.out.count(b"stion caching") + 1)
    t.send("\r")
    check("pty_ctrl_r_search", t.read_until(b"Model answer: http", 2), "%r" % t.out[-400:])
    # Tab completes a command name.
    t.prompt()
    t.send("/lead\t\r")
    check("pty_tab_completes", t.read_until(b"Leaderboard"), "%r" % t.out[-400:])
    # Ctrl-D on an empty line leaves, with the terminal given back.
    t.prompt()
    t.send("\x04")
    rc = t.wait()
    check("pty_ctrl_d_exits", rc == 0, "status %r" % rc)
    hist = os.path.join(tmp, ".local", "state", "drillbot", "history")
    try:
        mode = stat.S_IMODE(os.stat(hist).st_mode)
        text = open(hist, "rb").read()
        # libedit writes a space as \\040 (vis(3)); either form is the line.
        check("pty_history_kept", b"/question caching" in text or b"/question\\040caching" in text,
              "%r" % text[:200])
        check("pty_history_private", mode == 0o600, "mode %o" % mode)
    except OSError as e:
        check("pty_history_kept", False, str(e))
    # A second session starts with the first one's history.
    t = session(tmp, {"NO_COLOR": "1"})
    t.prompt()
    t.send("\x1b[A\r")
    check("pty_history_survives_restart", t.read_until(b"Leaderboard"), "%r" % t.out[-300:])
    check("pty_no_color_respected", b"\x1b[1m" not in t.out, "bold with NO_COLOR set")
    t.prompt()
    t.send("/quit\r")
    rc = t.wait()
    check("pty_quit_exits", rc == 0, "status %r" % rc)


main()
