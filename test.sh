#!/usr/bin/env bash
# The test command (README "Test it", and what CI runs): on a Debian machine with a JDK and Maven it
# installs what is missing (Chromium and its driver, MariaDB, PostgreSQL), starts the databases if
# they are down, then runs `mvn verify` with any arguments given (e.g. -Dtest=SmokeTest).
set -euo pipefail
cd "$(dirname "$0")"

# packages and services need root: use sudo when not root
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

log() { printf '\n==> %s\n' "$*"; }

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -qq
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

log "Tools"
command -v java >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven
# Debian's Chromium and its driver for the login-theme browser test (no browser download at test time)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt_install chromium chromium-driver
fi
java -version 2>&1 | sed -n 1p  # sed reads to the end: head would break the pipe under pipefail
mvn -v | sed -n 1p

mariadb_up() { mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; }
postgres_up() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 60); do
    if $check; then echo "$what is up"; return 0; fi
    sleep 1
  done
  echo "$what did not come up" >&2
  return 1
}

log "MariaDB on 127.0.0.1:3306 (storage-provider tests)"
if ! mariadb_up; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server mariadb-client
  fi
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1 --port=3306
  wait_for MariaDB mariadb_up
  # root over TCP with an empty password, as on our machines
  as_root mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;" 2>/dev/null || true
else
  echo "MariaDB is up"
fi

log "PostgreSQL on 127.0.0.1:5432 (clustered Keycloak tests)"
if ! postgres_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  wait_for PostgreSQL postgres_up
else
  echo "PostgreSQL is up"
fi

log "mvn verify"
mvn -B -ntp verify "$@"
