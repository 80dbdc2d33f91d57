#!/usr/bin/env python3
"""Stop: the agent may not finish until the transcript shows it ran ./run-tests.sh."""
import json
import os
import sys

data = json.load(sys.stdin)
logs = os.path.join(os.environ["CLAUDE_PROJECT_DIR"], ".claude", "logs")
os.makedirs(logs, exist_ok=True)
with open(os.path.join(logs, "stop.log"), "a", encoding="utf-8") as log:
    log.write(json.dumps({"stop_hook_active": data["stop_hook_active"],
                          "last": data.get("last_assistant_message", "")}) + "\n")

ran_tests = False
with open(data["transcript_path"], encoding="utf-8") as transcript:
    for line in transcript:
        entry = json.loads(line)
        if entry.get("type") != "assistant":
            continue
        for block in entry["message"]["content"]:
            if block.get("type") == "tool_use" and block.get("name") == "Bash" \
                    and "run-tests" in block.get("input", {}).get("command", ""):
                ran_tests = True
if not ran_tests:
    print(json.dumps({"decision": "block", "reason": "Run ./run-tests.sh before you finish."}))
