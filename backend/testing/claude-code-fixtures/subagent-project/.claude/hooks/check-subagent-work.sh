#!/bin/bash
# SubagentStop: a subagent checks its work once before it may finish.
set -euo pipefail
input=$(cat)
mkdir -p "$CLAUDE_PROJECT_DIR/.claude/logs"
printf '%s\n' "$input" >> "$CLAUDE_PROJECT_DIR/.claude/logs/subagent-stop.log"
if [[ "$input" == *'"stop_hook_active":false'* ]]; then
  echo '{"decision": "block", "reason": "Check your work against the task before you finish."}'
fi
