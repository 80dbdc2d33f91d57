#!/bin/bash
# Notification: where a desktop notifier would run, log what it would show.
set -euo pipefail
mkdir -p "$CLAUDE_PROJECT_DIR/.claude/logs"
jq -c '{type: .notification_type, message: .message}' >> "$CLAUDE_PROJECT_DIR/.claude/logs/notifications.log"
