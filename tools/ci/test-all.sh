#!/usr/bin/env bash
# `npm test`: make sure the services the integration tests need run (PostgreSQL,
# Redis), then lint, test and build every project, then one summary line.
set -uo pipefail
cd "$(dirname "$0")/../.."
export TZ=UTC
bash tools/ci/ensure-services.sh || exit 1
rm -rf reports/jest
npx nx run-many -t lint test build --output-style=stream-without-prefixes
status=$?
# The runnable bundles in dist/nexus (plain node, no TypeScript at run time).
node tools/build/bundle.mjs || status=1
node tools/ci/sum-tests.mjs || status=1
exit $status
