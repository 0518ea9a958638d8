#!/usr/bin/env bash
# Content rule: questions may restate the source lists, but model answers,
# key points and follow-ups are our own words. Fails when any 8-word run of
# a source list appears after a question's "## Model answer" heading (or in
# tips.md). Needs ../shared/seeds; skips without it (a user's fresh clone).
set -u
seeds="$(dirname "$0")/../../../shared/seeds"
if [ ! -d "$seeds" ]; then
	echo "SKIP originality: $seeds is absent"
	exit 0
fi
python3 - "$seeds" <<'PY'
import glob, re, sys
N = 8
def words(t): return re.findall(r"[a-z0-9]+", t.lower())
src = words(" ".join(open(f, encoding="utf-8").read() for f in glob.glob(sys.argv[1] + "/*.txt")))
if not src:
    print("FAIL originality_seeds_present: no source text found"); sys.exit(0)
runs = {tuple(src[i:i + N]) for i in range(len(src) - N + 1)}
bad = 0
files = sorted(glob.glob("content/*/*.md")) + ["content/tips.md"]
for f in files:
    text = open(f, encoding="utf-8").read()
    body = text.split("## Model answer", 1)[1] if "## Model answer" in text else text
    w = words(body)
    hits = [" ".join(w[i:i + N]) for i in range(len(w) - N + 1) if tuple(w[i:i + N]) in runs]
    if hits:
        bad += 1
        print(f"FAIL originality {f}: shares \"{hits[0]}\" with a source list")
if bad == 0:
    print(f"PASS originality_of_{len(files)}_files")
PY
