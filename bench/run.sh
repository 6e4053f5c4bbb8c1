#!/usr/bin/env bash
# One benchmark command. Builds the pack in the reactor, starts the Keycloak 26.7.3 distribution once
# (the integration-test harness) and runs every *Bench class: each measures a Keybridge feature
# against stock Keycloak (or the feature off) in the same run, after a warm-up, in alternating
# time-bounded rounds on loopback. Then Keycloak's start-up time and heap with and without the jars
# (bench/startup/run.sh, ports 8383/9393), the mysql-users provider on 1,000,000 rows when a
# MariaDB/MySQL answers on 127.0.0.1:3306 (bench/storage/run.sh), and the report:
# bench/results/REPORT.md with one PNG per workload (bench/report/BenchReport.java).
#
# The default run takes about 18 minutes on 2 cores. Longer or shorter runs:
#   KEYBRIDGE_BENCH_SECONDS  measured seconds per variant and workload (default 12)
#   KEYBRIDGE_BENCH_ROUNDS   alternating rounds those seconds are spread over (default 6: short rounds
#                            keep a noisy machine's drift out of the comparison)
#   KEYBRIDGE_BENCH_WARMUP   warm-up seconds per variant (default 2)
#   KEYBRIDGE_BENCH_USERS    users of the large usersForRole realm (default 100000)
#   KEYBRIDGE_BENCH_STARTS   timed Keycloak starts per variant (default 2)
# On a shared developer machine, run it under the integration-test lock:
#   flock /tmp/keybridge-it.lock bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
results="$PWD/bench/results"
seconds=${KEYBRIDGE_BENCH_SECONDS:-12}
rounds=${KEYBRIDGE_BENCH_ROUNDS:-6}
warmup=${KEYBRIDGE_BENCH_WARMUP:-2}
users=${KEYBRIDGE_BENCH_USERS:-100000}
mkdir -p "$results"
rm -f "$results"/*.tsv "$results"/*.png "$results"/REPORT.md
version=$(sed -n 's:.*<keycloak.dist.version>\(.*\)</keycloak.dist.version>.*:\1:p' pom.xml)
{
  echo "Keycloak $version distribution (dev mode, H2) on this machine, load generator in the test JVM on loopback"
  echo "$seconds s measured + $warmup s warm-up per variant and workload, $rounds alternating rounds"
  echo "Java $(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/')"
} > "$results/run.txt"

status=0
mvn -B -pl integration-tests -am verify -Dtest='*Bench,!Mysql*Bench' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeybridge.bench.results="$results" -Dkeybridge.bench.seconds="$seconds" -Dkeybridge.bench.rounds="$rounds" -Dkeybridge.bench.warmup="$warmup" \
  -Dkeybridge.bench.users="$users" || status=$?

bench/startup/run.sh "$results" || status=$?

if mysql -uroot -h127.0.0.1 -e 'SELECT 1' > /dev/null 2>&1; then
  bench/storage/run.sh || status=$?
else
  echo "No MariaDB/MySQL on 127.0.0.1:3306: the mysql-users workloads are left out of the report" >&2
fi

java -Djava.awt.headless=true bench/report/BenchReport.java "$results"
exit $status
