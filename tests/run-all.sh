#!/usr/bin/env bash
# The one command that runs every test (README: `npm test`; .ci/run calls it).
# 1. type-check the whole tree (strict TypeScript), 2. lint and format check (Biome, biome.jsonc) of the folders it
# covers, 3. run every *.test.ts with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json --noEmit
npx biome ci --reporter=summary .
mapfile -t files < <(find tests -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
exec node --import tsx --test --test-reporter=spec "${files[@]}"
