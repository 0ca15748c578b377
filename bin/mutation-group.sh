#!/usr/bin/env bash
# One group of the mutation run (docs/mutation.md): the full `npm run mutation` takes hours on a shared 2-CPU machine,
# so it is run folder by folder, each group with its own incremental file (reports/, ignored by git). A re-run of a
# group only re-tests the mutants whose code or covering tests changed. `npm run mutation:summary` adds the groups up.
# Usage: bin/mutation-group.sh NAME GLOB...   e.g. bin/mutation-group.sh gross 'shared/rules/gross/**/*.ts'
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
shift
args=()
for g in "$@"; do args+=(--mutate "$g"); done
mkdir -p reports/mutation/groups
start=$(date +%s)
status=0
nice -n 10 npx stryker run "${args[@]}" --incremental --incrementalFile "reports/mutation/groups/$name.json" \
  --reporters progress-append-only,clear-text >"reports/mutation/groups/$name.log" 2>&1 || status=$?
echo "rc=$status seconds=$(($(date +%s) - start))" | tee -a "reports/mutation/groups/$name.log"
exit $status
