#!/usr/bin/env python3
"""PreToolUse: keep the agent away from secrets files (the shape of Anthropic's examples)."""
import json
import os
import sys

try:
    data = json.load(sys.stdin)
except json.JSONDecodeError as e:
    print(f"Error: invalid JSON input: {e}", file=sys.stderr)
    sys.exit(1)

path = data.get("tool_input", {}).get("file_path", "")
if os.path.basename(path).startswith(".env"):
    print(json.dumps({
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": f"{os.path.basename(path)} holds secrets; use .env.example",
        }
    }))
sys.exit(0)
