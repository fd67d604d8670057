#!/usr/bin/env bash
# `npm test`: lint, test and build every project, then one summary line.
# Integration tests need PostgreSQL (TEST_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/postgres) and Redis (127.0.0.1:6379) running.
set -uo pipefail
cd "$(dirname "$0")/../.."
export TZ=UTC
rm -rf reports/jest
npx nx run-many -t lint test build --output-style=stream-without-prefixes
status=$?
node tools/ci/sum-tests.mjs || status=1
exit $status
