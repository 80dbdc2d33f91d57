#!/bin/bash
# PostToolUse on Edit|Write: say which file was touched, to the person only.
input=$(cat)
[[ $input =~ \"file_path\":\"([^\"]*)\" ]] || exit 0
file="${BASH_REMATCH[1]}"
printf '{"suppressOutput":true,"systemMessage":"Formatted %s"}\n' "${file##*/}"
