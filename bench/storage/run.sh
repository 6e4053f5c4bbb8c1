#!/usr/bin/env bash
# Benchmark of the mysql-users provider on 1,000,000 rows: lookups, admin search and count through the
# provider's own SQL (StorageBench), then login throughput through Keycloak next to the bound the
# bcrypt cost alone sets, measured in the same run (MysqlLoginBench, starts the Keycloak distribution).
# Needs a MariaDB on 127.0.0.1:3306 reachable as root without password (as in the integration tests);
# creates its own database and drops it at the end. Builds with the reactor, installs nothing.
# The Keycloak step needs the integration-test lock: KEYBRIDGE_IT_LOCK=/tmp/keybridge-it.lock takes it
# for that step only (leave it unset when the caller already holds the lock, as bench/run.sh's does).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl storage-provider -am package -DskipTests
mvn -B -q -pl storage-provider dependency:build-classpath -Dmdep.includeScope=provided -Dmdep.outputFile=target/bench.cp
mvn -B -q -pl storage-provider dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-test.cp
M=storage-provider/target
CP="$M/classes:$(cat $M/bench.cp):$(cat $M/bench-test.cp)"
DB="kb_storage_bench_$$"
trap 'mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $DB"' EXIT
mysql -uroot -h127.0.0.1 -e "CREATE DATABASE $DB"
mysql -uroot -h127.0.0.1 "$DB" < storage-provider/sql/timelapseme-users.sql
# MariaDB's sequence engine; on MySQL use a recursive CTE instead
mysql -uroot -h127.0.0.1 "$DB" -e "INSERT INTO Users (email, passwordHash, authenticationMethod, nickname, createdAt, updatedAt)
  SELECT CONCAT('user', seq, '@bench.dev'), '\$2b\$10\$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi',
         'CREDENTIALS', CONCAT('Nick ', seq), NOW(), NOW() FROM seq_1_to_1000000; ANALYZE TABLE Users"
mkdir -p $M/bench
javac -d $M/bench -cp "$CP" bench/storage/StorageBench.java
mkdir -p bench/results
java -cp "$M/bench:$CP" dev.keybridge.storage.StorageBench "$DB" bench/results/storage.tsv
# login throughput against the same 1,000,000 rows (bench/results/storage-login.tsv), and what a failed
# login costs by cause (MysqlFailedLoginBench, seed table of its own: storage-failed-login.tsv); both print
# their figures
LOG=integration-tests/target/mysql-login-bench.log
mkdir -p integration-tests/target
if ! ${KEYBRIDGE_IT_LOCK:+flock "$KEYBRIDGE_IT_LOCK"} mvn -B -pl integration-tests -am verify -Dtest='Mysql*Bench' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dkeybridge.bench.db="$DB" -Dkeybridge.bench.results="$PWD/bench/results" > "$LOG"; then
  tail -n 60 "$LOG" >&2
  exit 1
fi
grep -E '^(mysql-users (login|failed)|bound|federated|ratio|Keycloak|bcrypt \+|storage-login|storage-failed-login|  )' "$LOG"
