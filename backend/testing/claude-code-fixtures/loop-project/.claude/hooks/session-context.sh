#!/bin/bash
# SessionStart: tell the model how this project checks its work.
set -euo pipefail
source_kind=$(jq -r '.source')
mkdir -p "$CLAUDE_PROJECT_DIR/.claude/logs"
echo "$source_kind" >> "$CLAUDE_PROJECT_DIR/.claude/logs/session-start.log"
jq -n --arg ctx "Project rule: run ./run-tests.sh before you finish (session $source_kind)." \
  '{hookSpecificOutput: {hookEventName: "SessionStart", additionalContext: $ctx}}'
