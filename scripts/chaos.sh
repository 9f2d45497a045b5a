#!/usr/bin/env bash
# Runs the reliability harness (conformance-tests, package dev.ratchet.chaos) at full size and
# writes RELIABILITY.md: separate processes (K = 2 and 8, CHAOS_ROUNDS rounds per database),
# SIGKILL at instrumented points and at random and pg_terminate_backend (CHAOS_KILLS per
# database), CREATE INDEX CONCURRENTLY with 4 boots, tampered tracker tables, CHAOS_IDENTIFIERS
# generated hostile identifiers per database, a canary password, session hygiene, K = 8 boots
# through a transaction-pooling PgBouncer (CHAOS_ROUNDS rounds). scripts/test.sh
# runs the same tests at CI size. Takes hours at the default size; the variables make it smaller.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${CHAOS_ROUNDS:-200}
kills=${CHAOS_KILLS:-500}
identifiers=${CHAOS_IDENTIFIERS:-10000}
results=conformance-tests/target/chaos/results.tsv
rm -f "$results"
start=$(date +%s)
# scripts/test.sh provides PostgreSQL (starting or installing it) and passes these to Maven.
bash scripts/test.sh -pl conformance-tests -am -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='dev.ratchet.chaos.*Test' -Dratchet.chaos.rounds="$rounds" -Dratchet.chaos.kills="$kills" -Dratchet.chaos.identifiers="$identifiers" \
  -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false
python3 scripts/reliability-report.py "$results" RELIABILITY.md "$rounds" "$kills" "$(( $(date +%s) - start ))" \
  "$identifiers" "scripts/chaos.sh"
echo "chaos.sh: wrote RELIABILITY.md"
