#!/usr/bin/env bash
# Keycloak start-up time and heap after start, stock distribution vs the same distribution with the
# Keybridge provider jars (and the two disabled legacy datasources README's install section asks
# for), on spare ports 8383/9393. Each copy gets its own unpacked 26.7.x distribution under
# integration-tests/target/bench-startup/ and one untimed first start (build + database creation);
# then the timed starts alternate stock / Keybridge. Start-up time: from launching kc.sh to
# /health/ready answering 200. Heap: used heap from the management metrics after a full GC (jcmd GC.run).
# Usage: bench/startup/run.sh <results dir>    (KEYBRIDGE_BENCH_STARTS timed starts each, default 2)
# Needs the reactor's jars (bench/run.sh builds them first).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
results=${1:-bench/results}
starts=${KEYBRIDGE_BENCH_STARTS:-2}
http_port=8383
management_port=9393
version=$(sed -n 's:.*<keycloak.dist.version>\(.*\)</keycloak.dist.version>.*:\1:p' pom.xml)
project_version=$(sed -n '0,/<version>\(.*\)<\/version>/s::\1:p' pom.xml | head -1 | tr -d ' ')
zip="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$version/keycloak-quarkus-dist-$version.zip"
work="$root/integration-tests/target/bench-startup"
unset JAVA_OPTS_APPEND

prepare() { # $1 = stock|keybridge
  local home="$work/$1/keycloak-$version"
  rm -rf "$work/$1"
  mkdir -p "$work/$1"
  unzip -q "$zip" -d "$work/$1"
  if [ "$1" = keybridge ]; then
    for module in authenticators token-policies rest-resources storage-provider themes; do
      cp "$root/$module/target/$module-$project_version.jar" "$home/providers/"
    done
  fi
}

build_options() { # $1 = stock|keybridge
  echo --db=dev-file --health-enabled=true --metrics-enabled=true
  if [ "$1" = keybridge ]; then
    echo --db-kind-legacy-mariadb=mariadb --db-kind-legacy-mysql=mysql
  fi
}

run_options() { # $1 = stock|keybridge
  echo --http-enabled=true --http-port=$http_port --http-management-port=$management_port --hostname-strict=false
  if [ "$1" = keybridge ]; then
    echo --db-enabled-legacy-mariadb=false --db-enabled-legacy-mysql=false
  fi
}

kc_pid=""
stop() {
  if [ -n "$kc_pid" ]; then
    # kc.sh forwards TERM to its java child (or is the java process, after exec)
    kill "$kc_pid" 2>/dev/null || true
    wait "$kc_pid" 2>/dev/null || true
    kc_pid=""
  fi
}
trap stop EXIT

# Starts one copy; prints "<seconds to ready> <heap MB after GC>". $2 = optimized|first
start_once() {
  local home="$work/$1/keycloak-$version" log="$work/$1/start-$(date +%s%N).log"
  if curl -s -o /dev/null "http://127.0.0.1:$management_port/health/ready"; then
    echo "port $management_port is in use" >&2; exit 1
  fi
  local began=$(date +%s%N)
  if [ "$2" = first ]; then
    "$home/bin/kc.sh" start $(build_options "$1") $(run_options "$1") > "$log" 2>&1 &
  else
    "$home/bin/kc.sh" start --optimized $(run_options "$1") > "$log" 2>&1 &
  fi
  kc_pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$management_port/health/ready")" = 200 ]; do
    if ! kill -0 "$kc_pid" 2>/dev/null; then echo "Keycloak ($1) exited; see $log" >&2; tail -20 "$log" >&2; exit 1; fi
    sleep 0.1
  done
  local ready=$(date +%s%N)
  local java_pid
  java_pid=$(pgrep -P "$kc_pid" java || echo "$kc_pid")
  jcmd "$java_pid" GC.run > /dev/null
  sleep 1
  local heap
  heap=$(curl -s "http://127.0.0.1:$management_port/metrics" \
    | awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ { sum += $NF } END { printf "%.1f", sum / 1048576 }')
  stop
  awk -v b="$began" -v r="$ready" -v h="$heap" 'BEGIN { printf "%.2f %s\n", (r - b) / 1e9, h }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

mkdir -p "$results"
for variant in stock keybridge; do
  prepare $variant
  echo "first start of $variant (build and database creation, not timed): $(start_once $variant first)"
done
: > "$work/stock.txt"; : > "$work/keybridge.txt"
for ((i = 0; i < starts; i++)); do
  for variant in stock keybridge; do
    start_once $variant optimized | tee -a "$work/$variant.txt" | sed "s/^/$variant start $((i + 1)): seconds, heap MB: /"
  done
done

line() { printf '%s\n' "$(IFS=$'\t'; echo "$*")"; }
row() { # workload id, side, label, column of the figure (1 time, 2 heap)
  local values; values=$(awk -v c="$4" '{ print $c }' "$work/$2.txt")
  local med; med=$(echo "$values" | median)
  line "$1" variant "$2" "$3 ($(echo $values | tr ' ' ','))" "$med" nan nan nan "$starts"
}
{
  line startup-time workload "Keycloak $version start-up to /health/ready, with and without the Keybridge jars" "start-up time, median" s lower
  row startup-time keybridge "with the Keybridge jars" 1
  row startup-time stock "stock distribution" 1
  line startup-time target "issue 10" "" "no target"
  line startup-time note "start --optimized after one untimed first start per copy (build, database creation); dev-file database; starts alternate stock / Keybridge"
  line startup-heap workload "Keycloak $version used heap after start and a full GC, with and without the Keybridge jars" "used heap, median" MB lower
  row startup-heap keybridge "with the Keybridge jars" 2
  row startup-heap stock "stock distribution" 2
  line startup-heap target "issue 10" "" "no target"
  line startup-heap note "jvm_memory_used_bytes{area=heap} from the management metrics endpoint, after jcmd GC.run"
} > "$results/startup.tsv"
cat "$results/startup.tsv"
