#!/usr/bin/env bash
# Builds the Keybridge jars and starts Keycloak with them and the demo realm on http://localhost:8080.
# The distribution comes from Maven Central and is unpacked under .run/; its dev-file database stays
# there between runs. Ctrl-C stops Keycloak.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

dist_version=$(sed -n 's:.*<keycloak.dist.version>\(.*\)</keycloak.dist.version>.*:\1:p' pom.xml)
kc_home="$root/.run/keycloak-$dist_version"
port=${KEYBRIDGE_HTTP_PORT:-8080}

echo "Building Keybridge and preparing Keycloak $dist_version under .run/ ..."
# one all-in-one jar now; per-module jars an older run left would register every provider twice
rm -f "$kc_home"/providers/dev.keybridge.*.jar
mvn -B -q -DskipTests -Prun package

# Same import the container gets from data/import: every realm file of realm-export/realms,
# skipped when the realm already exists in the database.
export JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -Dkeycloak.migration.dir=$root/realm-export/realms"

cat <<INFO

  Admin console:  http://localhost:$port/admin/          (admin / admin)
  Demo realm:     http://localhost:$port/realms/keybridge-demo/account/   (demo / demo)
  Providers:      $kc_home/providers
  Database:       $kc_home/data/h2 (kept between runs; delete .run/ to start afresh)

INFO

# Keycloak drops the JDBC drivers of database kinds no datasource uses; the mysql-users storage
# provider needs MariaDB's and MySQL's, so two disabled named datasources keep them.
exec "$kc_home/bin/kc.sh" start-dev \
  --http-port="$port" \
  --db-kind-legacy-mariadb=mariadb --db-enabled-legacy-mariadb=false \
  --db-kind-legacy-mysql=mysql --db-enabled-legacy-mysql=false \
  --bootstrap-admin-username=admin \
  --bootstrap-admin-password=admin
