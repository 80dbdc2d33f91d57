#!/bin/bash
# PermissionRequest on Bash: answer the dialog for the person on two commands.
set -euo pipefail
command=$(jq -r '.tool_input.command // ""')
case "$command" in
  "git reset --hard"*)
    echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"Never discard work here; stash it instead."}}}'
    ;;
  "git clean -fd build"*)
    echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow","updatedInput":{"command":"git clean -fd build/"}}}}'
    ;;
  "rm -rf /tmp/scratch"*)
    echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"Scratch is shared.","interrupt":true}}}'
    ;;
esac
exit 0
