#!/usr/bin/env bash
# Runs the JMH benchmarks (Ratchet's trackers, Flyway, Liquibase, the plain-JDBC floor) on the
# local PostgreSQL and on SQLite, counts statements per up-to-date boot from the PostgreSQL log,
# and rewrites benchmarks/RESULTS.md; a full run also adds its targets to benchmarks/runs.tsv.
# Not part of scripts/test.sh (which runs a smoke test).
# Environment: RATCHET_BENCH_POSTGRES_URL (default: local server as postgres); BENCH_QUICK=1 for
# a short run (N <= 1000, fewer iterations) while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
export RATCHET_BENCH_POSTGRES_URL=${RATCHET_BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}

version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect "$version" main start
# A chain transaction of 5,000 CREATE TABLEs holds ~20,000 locks until it commits; PostgreSQL's
# default lock table (64 per connection) is too small for that, so the benchmark server gets more.
locks=$(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW max_locks_per_transaction' </dev/null)
if [ "$locks" -lt 512 ]; then
  echo "bench.sh: raising max_locks_per_transaction from $locks to 512 (restarts PostgreSQL)" >&2
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'ALTER SYSTEM SET max_locks_per_transaction = 512' </dev/null
  pg_ctlcluster --skip-systemctl-redirect "$version" main restart </dev/null
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi
mvn -q -B -ntp -DskipTests -pl benchmarks -am package </dev/null
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/bench
mkdir -p "$out"

# Iterations come from the benchmarks' annotations: up-to-date boot and status 5 warm-up + 10
# measured, fresh apply 0 + 5 (each takes seconds, Flyway's at N = 5000 a minute; untimed applies
# first: 5 at N = 100, 2 at N = 1000), cutover 1 + 5.
iterations=()
pg_n=100,1000,5000
sqlite_n=100,1000
if [ "${BENCH_QUICK:-}" = 1 ]; then
  # Three boots in one JVM are no first boots: a quick run leaves that benchmark out.
  iterations=(-wi 0 -i 3 -e 'MigrationBenchmarks.firstBoot$')
  pg_n=100,1000
  sqlite_n=100
fi

# The up-to-date boot and status benchmarks share one prepared database per tool and N; drop
# what an interrupted run left (prepared or per-iteration databases), and what this run leaves.
space=ratchet_bench
space_dir=/dev/shm/ratchet-bench-tablespace
sqlite_dir=/dev/shm/ratchet-bench-sqlite
drop_databases() {
  psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'bench\_%'" </dev/null |
    while read -r db; do [ -n "$db" ] && psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE \"$db\" WITH (FORCE)" </dev/null; done
  rm -rf "${TMPDIR:-/tmp}/ratchet-bench-prepared" "$sqlite_dir"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP TABLESPACE IF EXISTS $space" </dev/null
  rm -rf "$space_dir"
}
drop_databases
trap drop_databases EXIT

# PostgreSQL writes a new table's primary-key index straight to its file and syncs that file
# before CREATE TABLE returns, whatever synchronous_commit says, and SQLite syncs its journal at
# every commit: on this kind of disk a sync takes milliseconds and varies from minute to minute
# (one run measured SQLite's per-migration floor at 1.2 ms a migration, another at 2.2), so syncs
# would be most of every tool's fresh apply and hide the tools' own work (as PostgreSQL's commit
# syncs would, which synchronous_commit = off already leaves out). The benchmark databases
# therefore live on tmpfs when it can be used: PostgreSQL's in a tablespace there (local server
# and root needed; the WAL stays on the server's disk), SQLite's files in a directory there.
export RATCHET_BENCH_TABLESPACE=
export RATCHET_BENCH_SQLITE_DIR=
if [ -d /dev/shm ] && mkdir -p "$space_dir" && chown postgres: "$space_dir" 2>/dev/null &&
   psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE TABLESPACE $space LOCATION '$space_dir'" </dev/null; then
  export RATCHET_BENCH_TABLESPACE=$space
  storage="in a tablespace on tmpfs ($space_dir: the data files; the WAL on the server's disk)"
else
  echo "bench.sh: no tmpfs tablespace (needs a local server and root); databases on the server's disk" >&2
  storage="on the server's disk (no tmpfs tablespace could be made)"
fi
if [ -d /dev/shm ] && mkdir -p "$sqlite_dir"; then
  export RATCHET_BENCH_SQLITE_DIR=$sqlite_dir
  sqlite_storage="its files on tmpfs ($sqlite_dir)"
else
  sqlite_storage="its files in the temporary directory on the disk (no tmpfs)"
fi

# BENCH_ONLY: a JMH regular expression selecting some benchmarks (e.g. 'upToDateBoot|readFiles|readSource');
# RESULTS.md then says which ones this run measured.
only=${BENCH_ONLY:-}
run() { # db n-list output benchmark-regex
  java -jar "$jar" -f 1 ${iterations[@]+"${iterations[@]}"} -p db="$1" -p n="$2" -rf json -rff "$3" \
    "MigrationBenchmarks.($4)" </dev/null
}

# What the targets judge is measured with the tools taking turns: the up-to-date boot at the
# judged size (PostgreSQL N = 5000, SQLite N = 1000), the fresh apply on PostgreSQL (N = 5000,
# and N = 1000 for its growth) and on SQLite (N = 1000, and N = 100 for its growth). In each round
# every tool runs once per size, its sizes back to back (so that a growth compares times taken
# minutes apart at most, not a quarter of an hour), in a JMH process of its own (a new JVM: for a boot its 5 untimed and 10 measured boots;
# for a fresh apply its untimed applies and one measured apply in a new database, on PostgreSQL
# after a CHECKPOINT; on SQLite three, each in a new database, their median the round's time: an
# apply of 1,000 there takes a third of a second, and one JVM's applies seconds apart spread by a
# fifth, the floor's as much as a tool's), the order rotated from round to round. One tool's times spread by up to 40 % from minute to minute on this shared
# machine (CPU steal, the WAL disk), so a block of one tool's iterations minutes away from the
# floor's would compare minutes, not tools. Flyway and Liquibase, whose figures decide no target,
# take part in the first round only (their apply of 5,000 takes one to two minutes), and the
# rounds are 4 for a boot on PostgreSQL, 3 for SQLite's fresh applies, 2 to 4 for PostgreSQL's
# (about two minutes a round; the first, with Flyway's and Liquibase's applies, five) and 2 to 12 for a boot
# on SQLite, as time allows, so that the whole run stays within half an hour on this machine. A
# JVM here may run all of its code, SQLite's native code too, at half the speed of another for its
# whole life (async-profiler, 2026-12-04: the same boot's schema load, query and Java code each
# took twice the samples in one JVM as in the next); a SQLite boot's round takes a quarter of a
# minute, so its boots get as many rounds as the time left allows, for their median not to be
# decided by two such JVMs out of four, and they come last: their small rounds use the time left
# to the minute, where one of PostgreSQL's fresh applies would overrun it or leave minutes unused.
# When turns_deadline is set (seconds since the run started), a round after the second starts only
# if, taking as long as the round before it, it would end by then: on a day when this machine's
# disk or CPU is slow, fewer rounds, rather than a run past half an hour. RESULTS.md says how many
# rounds each table had.
turns_deadline=
take_turns() { # benchmark db n-list rounds rounds-for-flyway-and-liquibase tool...
  local benchmark=$1 db=$2 sizes=$3 count=$4 others=$5
  shift 5
  local tools=("$@") round i tool n round_started=0 last=0
  for round in $(seq 1 "$count"); do
    if [ -n "$turns_deadline" ] && [ "$round" -gt 2 ] &&
       [ $(( $(date +%s) + last - started )) -gt "$turns_deadline" ]; then
      echo "bench.sh: $benchmark $db $sizes: $(( round - 1 )) rounds (another, of about ${last} s, would end past" \
        "$(( turns_deadline / 60 )) minutes into the run)" >&2
      break
    fi
    round_started=$(date +%s)
    for i in "${!tools[@]}"; do
      tool=${tools[$(( (i + round - 1) % ${#tools[@]} ))]}
      case "$tool" in FLYWAY|LIQUIBASE) [ "$round" -le "$others" ] || continue ;; esac
      local select=(-p tool="$tool" "MigrationBenchmarks.$benchmark\$")
      [ "$tool" = STATEMENTS_ALONE ] && select=('MigrationBenchmarks.statementsAlone$')
      local single=()
      [ "$benchmark" = freshApply ] && single=(-wi 0 -i "$( [ "$db" = sqlite ] && echo 3 || echo 1)")
      for n in ${sizes//,/ }; do
        java -jar "$jar" -f 1 ${single[@]+"${single[@]}"} -p db="$db" -p n="$n" -rf json \
          -rff "$out/rounds/$benchmark-$db-$n-$(printf %02d "$round")-$tool.json" "${select[@]}" </dev/null
      done
    done
    last=$(( $(date +%s) - round_started ))
  done
}
boot_tools=(FLOOR RATCHET_APPLIED_SET RATCHET_APPLIED_SET_JAR RATCHET_COUNTER RATCHET_IDENTITY RATCHET_APPLIED_SET_UNVERIFIED
  LIQUIBASE FLYWAY)
fresh_tools=(FLOOR RATCHET_APPLIED_SET RATCHET_APPLIED_SET_CHAIN RATCHET_COUNTER RATCHET_IDENTITY STATEMENTS_ALONE
  LIQUIBASE FLYWAY)

rm -rf "$out/rounds" # an earlier run's files would be read as this run's
mkdir -p "$out/rounds"
rounds=()
if [ -z "$only" ] && [ "${BENCH_QUICK:-}" != 1 ]; then
  # The blocks first: they prepare the applied histories that the boot rounds reuse.
  run postgresql "$pg_n" "$out/postgresql.json" 'status|cutover|readFiles|readSource'
  run postgresql 100,1000 "$out/postgresql-boot.json" 'upToDateBoot'
  run postgresql 100 "$out/postgresql-fresh.json" 'freshApply|statementsAlone'
  run sqlite "$sqlite_n" "$out/sqlite.json" 'status|cutover|readFiles|readSource'
  run sqlite 100 "$out/sqlite-boot.json" 'upToDateBoot'
  take_turns upToDateBoot postgresql 5000 4 1 "${boot_tools[@]}"
  # An application's first boot, in a new JVM: one boot in each of 3 JMH forks per tool, on the
  # histories the rounds above prepared (about two minutes).
  java -jar "$jar" -f 3 -p db=postgresql -p n=5000 -rf json -rff "$out/postgresql-first.json" \
    'MigrationBenchmarks.firstBoot$' </dev/null
  take_turns freshApply sqlite 100,1000 3 1 "${fresh_tools[@]}"
  # Last, the rounds whose number depends on the time left. PostgreSQL's fresh applies may start
  # a third or fourth round that would end by 22.5 minutes into the run, which leaves a SQLite
  # boot's round five minutes on a day like most; those may start a round that would end by 27.5
  # minutes, which leaves counting statements and writing the results (about a minute) inside the
  # half hour, the build included.
  turns_deadline=$(( 22 * 60 + 30 ))
  take_turns freshApply postgresql 1000,5000 4 1 "${fresh_tools[@]}"
  turns_deadline=$(( 27 * 60 + 30 ))
  take_turns upToDateBoot sqlite 1000 12 1 "${boot_tools[@]}"
  turns_deadline=
  rounds=("$out/postgresql-boot.json" "$out/postgresql-first.json" "$out/postgresql-fresh.json" "$out/sqlite-boot.json"
    "$out"/rounds/*.json)
else
  run postgresql "$pg_n" "$out/postgresql.json" "${only:-.*}"
  run sqlite "$sqlite_n" "$out/sqlite.json" "${only:-.*}"
fi

log=/var/log/postgresql/postgresql-${version}-main.log
if [ -r "$log" ]; then
  # At every size this run measured: the count must not grow with the history.
  java -cp "$jar" dev.ratchet.benchmarks.RoundTrips "$log" "$pg_n" "$out/roundtrips.txt" </dev/null
else
  echo "bench.sh: cannot read $log; statement counts skipped" >&2
  : > "$out/roundtrips.txt"
fi

# What a first touch of a memory page costs here: a boot that allocates fresh memory (in the JVM,
# or in the server's backend of its new connection) pays it per page.
page_touch=$(java -cp "$jar" dev.ratchet.benchmarks.PageTouch </dev/null)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mvn_prop() { grep -m1 "<$1>" pom.xml | sed -E 's/.*>([^<]+)<.*/\1/'; }
cat > "$out/header.md" <<HEADER
# Benchmark results

Written by \`scripts/bench.sh\` on $(date -u +%Y-%m-%d) — do not edit by hand.

- Machine: $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)
- Java: $(java -version 2>&1 | head -n 1)
- PostgreSQL: $(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW server_version' </dev/null) on loopback, benchmark databases with synchronous_commit = off and $storage (a sync costs milliseconds on this disk, varying from minute to minute: the commit syncs and the sync of every new primary-key index would measure the disk, not the tools; the same for every tool, as for SQLite below) (max_locks_per_transaction = $(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW max_locks_per_transaction' </dev/null), for chain mode at N = 5000); SQLite (xerial sqlite-jdbc $(mvn_prop sqlite.version)) with $sqlite_storage
- Flyway $(mvn_prop flyway.version), Liquibase $(mvn_prop liquibase.version), Ratchet 0.1.0-SNAPSHOT; JMH single-shot, one fork; iterations (warm-up + measured): up-to-date boot, status and the file-reading baselines 5 + 10, the first boot in a new JVM 0 + 1 in each of 3 forks (PostgreSQL, N = 5000), fresh apply and the statements-alone baseline 0 + 5 (after untimed applies, each in a scratch database: 5 at N = 100, 2 at N = 1000, one of 1000 migrations before N = 5000), cutover 1 + 5; every fresh apply and cutover iteration starts after a server CHECKPOINT, so that no earlier iteration's writes are flushed during it$( [ "${BENCH_QUICK:-}" = 1 ] && echo " (quick run: 0 + 3 for all, and no first boots)")$( [ ${#rounds[@]} -gt 0 ] && echo "; the up-to-date boot at the sizes the targets judge (PostgreSQL N = 5000, SQLite N = 1000) and the fresh apply at N = 1000 and 5000 on PostgreSQL and at N = 1000 on SQLite in rounds of the tools taking turns (for a boot 4 on PostgreSQL and 2 to 12 on SQLite as time allows; for a fresh apply each tool's two sizes back to back in every round, 2 to 4 rounds on PostgreSQL as time allows and 3 on SQLite; see those tables; Flyway and Liquibase in the first round only), one JMH process per tool, size and round (a boot's 5 + 10 iterations, a fresh apply's 0 + 1 on PostgreSQL and 0 + 3 on SQLite: see their sections)"); medians of the measured iterations
- Memory: the first touch of a memory page costs ${page_touch} µs on this machine (\`PageTouch\`: the kernel maps and zeroes the page; well under a microsecond on most hardware, so this virtual machine makes fresh memory dear). The up-to-date boot and the file-reading baselines beside it run in JVMs that touch their whole heap when they start (\`-XX:+AlwaysPreTouch\`, every tool alike): a boot in a running JVM otherwise pays that cost whenever its allocations land in heap its JVM has just grown into, which depends on the JVM's earlier collections, not on the tool. The first boot in a new JVM keeps the JVM's defaults, as an application's start does.
- Workload: N trivial migrations \`CREATE TABLE t_i (id int primary key); INSERT INTO t_i VALUES (1);\`, the same files for every tool (one formatted-SQL changelog for Liquibase). The floor is plain JDBC: each body plus one tracker insert, one transaction per migration; its up-to-date boot lists the files' names (\`File.list()\`, as Ratchet does), then runs one SELECT of the tracker rows and an in-memory comparison.
- "× floor" is the ratio of medians to the floor's median in the same table.
$( [ -n "$only" ] && echo "- This run measured only the benchmarks matching \`${only}\` (BENCH_ONLY); the other tables are absent." )
- This run of \`scripts/bench.sh\` took $(( ($(date +%s) - started + 59) / 60 )) minutes, building included.
HEADER
# A full run also rewrites the README's quoted excerpt of RESULTS.md, and adds its targets'
# verdicts to the run log, benchmarks/runs.tsv, from which it rewrites the README's table of the
# targets over runs; a subset or quick run does neither.
readme=()
if [ -z "$only" ] && [ "${BENCH_QUICK:-}" != 1 ]; then
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit+" # measured with changes not committed
  fi
  readme=(--readme README.md --log benchmarks/runs.tsv "$(date -u -d "@$started" '+%Y-%m-%d %H:%M')" "$commit")
fi
java -cp "$jar" dev.ratchet.benchmarks.ResultsWriter ${readme[@]+"${readme[@]}"} benchmarks/RESULTS.md "$out/roundtrips.txt" "$out/header.md" \
  "$out/postgresql.json" ${rounds[@]+"${rounds[@]}"} "$out/sqlite.json" </dev/null
if [ ${#readme[@]} -gt 0 ]; then
  echo "bench.sh: wrote benchmarks/RESULTS.md, the README's excerpt of it and its table of the targets over runs, and this run's lines in benchmarks/runs.tsv"
else
  echo "bench.sh: wrote benchmarks/RESULTS.md"
fi
