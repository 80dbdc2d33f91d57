#!/bin/bash
# UserPromptSubmit: add the sprint goal; refuse prompts that paste a password.
input=$(cat)
if [[ $input =~ [Pp]assword[=:] ]]; then
  echo '{"decision":"block","reason":"The prompt holds a password; remove it and send again."}'
  exit 0
fi
echo '{"hookSpecificOutput":{"hookEventName":"UserPromptSubmit","additionalContext":"Sprint goal: ship the billing export."}}'
