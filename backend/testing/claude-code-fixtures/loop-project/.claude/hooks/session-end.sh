#!/bin/bash
# SessionEnd: note why the session ended.
set -euo pipefail
mkdir -p "$CLAUDE_PROJECT_DIR/.claude/logs"
jq -r '.reason' >> "$CLAUDE_PROJECT_DIR/.claude/logs/session-end.log"
