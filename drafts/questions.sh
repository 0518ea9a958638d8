#!/usr/bin/env bash
# Prints only the id, difficulty and "## Question" text of every question of a topic.
# Usage: questions.sh <topic>
for f in /work/drafts/content/"$1"/*.md; do
	id=$(sed -n 's/^id: //p' "$f" | head -1)
	d=$(sed -n 's/^difficulty: //p' "$f" | head -1)
	echo "=== $id (difficulty $d)"
	awk '/^## Question/{on=1;next} /^## /{on=0} on' "$f" | sed '/^$/d'
	echo
done
