#!/bin/bash
# PreToolUse on Bash: pushing a feature branch needs no approval; main is left to the prompt.
set -euo pipefail
command=$(jq -r '.tool_input.command // ""')
if [[ $command =~ ^git\ push\ origin\ (feature/[A-Za-z0-9._-]+)$ ]]; then
  jq -n --arg why "feature branch ${BASH_REMATCH[1]}" \
    '{hookSpecificOutput: {hookEventName: "PreToolUse", permissionDecision: "allow", permissionDecisionReason: $why}}'
fi
exit 0
