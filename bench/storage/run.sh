#!/usr/bin/env bash
# Benchmark of the mysql-users provider on 1,000,000 rows: lookups, admin search, count, and the
# bcrypt cost that bounds login throughput, measured in the same run. Needs a MariaDB/MySQL on
# 127.0.0.1:3306 reachable as root without password (as in the integration tests); creates its
# own database and drops it at the end. Figures go to stdout and, in the report's line format, to
# bench/results/storage.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."
# the reactor's own jar, never an install into the shared ~/.m2
mvn -B -q -pl storage-provider package -DskipTests
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
