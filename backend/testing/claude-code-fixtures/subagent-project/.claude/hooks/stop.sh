#!/bin/bash
# Stop: log what the hook was given; never keeps the agent going.
set -euo pipefail
input=$(cat)
mkdir -p "$CLAUDE_PROJECT_DIR/.claude/logs"
printf '%s\n' "$input" >> "$CLAUDE_PROJECT_DIR/.claude/logs/stop.log"
