#!/usr/bin/env bash
# Each folder of src/ includes only the layers below it (docs/architecture.md §1), and the
# apps only the public API: a quoted include naming a folder must name one the folder's row
# allows. Prints every include that breaks the table and exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [src/core]="core mrec"
  [src/stream]="stream core mrec"
  [src/sources]="sources stream core mrec"
  [src/codecs]="codecs core"
  [src/containers]="containers core"
  [src/files]="files containers core mrec"
  [src/recorder]="recorder files containers codecs sources stream core mrec"
  [apps/mrec]="mrec"
  [apps/dictaphone]="mrec"
)

status=0
for folder in "${!allowed[@]}"; do
  while IFS= read -r line; do
    file=${line%%:*}
    included=$(sed -E 's/.*#include "([^"]*)".*/\1/' <<<"${line#*:}")
    [[ $included == */* ]] || continue  # a file beside it
    layer=${included%%/*}
    if [[ " ${allowed[$folder]} " != *" $layer "* ]]; then
      echo "$file includes \"$included\": $folder may include only ${allowed[$folder]}"
      status=1
    fi
  done < <(grep -rH '^#include "' "$folder" --include='*.cpp' --include='*.h' || true)
done
[[ $status == 0 ]] && echo "layers ok"
exit $status
