#!/usr/bin/env bash
# One benchmark command: builds the pack, starts the Keycloak 26.7.3 distribution once (the
# integration-test harness) and runs every *Bench class. Each bench measures a Keybridge feature
# against stock Keycloak (or the feature off) in the same run, in alternating rounds, prints its
# figures and writes them under bench/results/.
# On a shared developer machine, run it under the integration-test lock (see CONTRIBUTING notes):
#   flock /tmp/keybridge-it.lock bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
echo "cores: $(nproc)" > bench/results/machine.txt
mvn -B verify -Dtest='*Bench,!MysqlLoginBench' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeybridge.bench.results="$PWD/bench/results"
cat bench/results/*.txt

# The mysql-users provider on 1,000,000 rows (needs MariaDB/MySQL on 127.0.0.1:3306), with its login
# bench (MysqlLoginBench) on those rows
bench/storage/run.sh | tee bench/results/storage-provider.txt
