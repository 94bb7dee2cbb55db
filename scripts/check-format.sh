#!/usr/bin/env bash
# Fails if a C++ file differs from what clang-format (the repo's .clang-format) makes of it.
# With --fix, formats them in place.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
clang-format --dry-run --Werror "${files[@]}"
echo "formatting ok (${#files[@]} files)"
