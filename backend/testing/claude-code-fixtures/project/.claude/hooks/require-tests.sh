#!/bin/bash
# Stop: do not stop until the project has a test (once; stop_hook_active breaks the loop).
input=$(cat)
if [[ $input == *'"stop_hook_active":true'* ]]; then
  exit 0
fi
shopt -s globstar nullglob
tests=("$CLAUDE_PROJECT_DIR"/**/*.test.*)
if (( ${#tests[@]} == 0 )); then
  echo "No tests yet: add one for the change before finishing." >&2
  exit 2
fi
exit 0
