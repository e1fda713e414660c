#!/usr/bin/env bash
# npm test. Lint and the type check run at a lower priority beside the web
# build and jest, which mostly wait on servers and child processes; their
# output is shown after jest's, and only when they fail, so jest's summary
# stays last. Arguments go to jest (`npm test -- test/parse`).
set -u
checks_log=$(mktemp)
trap 'rm -f "$checks_log"' EXIT

nice npm run --silent test:checks >"$checks_log" 2>&1 &
checks_pid=$!

npm run --silent build:web &&
  NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" npx jest --coverage "$@"
tests=$?

wait "$checks_pid"
checks=$?
[ "$checks" -eq 0 ] || cat "$checks_log"
[ "$tests" -ne 0 ] && exit "$tests"
exit "$checks"
