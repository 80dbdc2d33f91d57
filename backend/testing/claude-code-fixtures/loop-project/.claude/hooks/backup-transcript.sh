#!/bin/bash
# PreCompact: keep a copy of the full transcript before older turns are summarized.
set -euo pipefail
input=$(cat)
transcript=$(jq -r '.transcript_path' <<< "$input")
trigger=$(jq -r '.trigger' <<< "$input")
mkdir -p "$CLAUDE_PROJECT_DIR/.claude/logs/backups"
if [[ -f $transcript ]]; then
  cp "$transcript" "$CLAUDE_PROJECT_DIR/.claude/logs/backups/$trigger-$(basename "$transcript")"
fi
echo "$trigger" >> "$CLAUDE_PROJECT_DIR/.claude/logs/pre-compact.log"
