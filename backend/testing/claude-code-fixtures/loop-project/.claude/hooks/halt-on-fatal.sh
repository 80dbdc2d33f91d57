#!/bin/bash
# PostToolUse on Bash: a FATAL line in the output ends the session for a person to look at.
set -euo pipefail
if jq -e '.tool_response.stdout // "" | test("FATAL")' > /dev/null; then
  echo '{"continue": false, "stopReason": "The build printed FATAL; a person must look first.", "systemMessage": "Stopped on FATAL"}'
fi
exit 0
