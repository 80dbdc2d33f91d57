#!/usr/bin/env python3
"""PostToolUse on Write: remind the model to register new modules."""
import json
import sys

data = json.load(sys.stdin)
path = data["tool_input"]["file_path"]
response = data.get("tool_response", {})
if data["tool_name"] == "Write" and path.endswith(".ts") and response.get("filePath") == path:
    print(json.dumps({
        "decision": "block",
        "reason": f"{path} is new: export it from src/index.ts.",
        "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": "Run npm run lint after."},
    }))
