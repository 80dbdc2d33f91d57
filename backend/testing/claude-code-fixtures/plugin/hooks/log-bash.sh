#!/bin/bash
# PostToolUse on Bash: append the command, and which plugin logged it, to the project's log.
input=$(cat)
[[ $input =~ \"command\":\"([^\"]*)\" ]] || exit 0
printf '%s\t%s\n' "${CLAUDE_PLUGIN_ROOT##*/}" "${BASH_REMATCH[1]}" >> "$CLAUDE_PROJECT_DIR/.claude/bash-log.txt"
