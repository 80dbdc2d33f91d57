#!/usr/bin/env python3
"""Stop: read the transcript; a last assistant message that leaves a TODO is not the end."""
import json
import sys

data = json.load(sys.stdin)
if data.get("stop_hook_active"):
    sys.exit(0)
last_text = ""
with open(data["transcript_path"], encoding="utf-8") as transcript:
    for line in transcript:
        entry = json.loads(line)
        if entry.get("type") != "assistant":
            continue
        content = entry["message"]["content"]
        texts = [b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"]
        if texts:
            last_text = "\n".join(texts)
if "TODO" in last_text:
    print(json.dumps({"decision": "block", "reason": "Your last message leaves a TODO; finish it first."}))
