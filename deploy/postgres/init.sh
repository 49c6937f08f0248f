#!/usr/bin/env bash
# Creates one login role and one database per Kota LIVE service (role name = database name).
#
# The postgres image runs this from /docker-entrypoint-initdb.d once, when the data volume is
# first initialised; connection settings come from the usual libpq variables (PGHOST, PGPORT,
# ...) and POSTGRES_USER / POSTGRES_DB. The names come from KOTA_DATABASES (space-separated)
# and each password from KOTA_<SERVICE>_DB_PASSWORD, both set in docker-compose.yml, which
# writes them from the service registry (kota_contracts.services). Running it again is harmless: it creates what is missing and
# resets passwords and ownership.
#
# No `set -u` on purpose: should the image ever source this file instead of executing it,
# nounset would leak into its entrypoint.
set -eo pipefail

if [ -z "${KOTA_DATABASES:-}" ]; then
    echo "init.sh: KOTA_DATABASES (the services' database names) is not set" >&2
    exit 1
fi

for service in $KOTA_DATABASES; do
    password_var="KOTA_${service^^}_DB_PASSWORD"
    password="${!password_var:-}"
    if [ -z "$password" ]; then
        echo "init.sh: $password_var is not set" >&2
        exit 1
    fi

    # psql quotes :'var' as a literal and format() quotes %I identifiers and %L literals, so a
    # password may hold any character. \gexec runs each generated statement on its own, which
    # CREATE DATABASE needs (it cannot run inside a transaction block).
    psql --no-psqlrc -v ON_ERROR_STOP=1 \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        -v name="$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'name', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'name', :'name') \gexec
-- A database is private to its service: only its owner (and the superuser) may connect.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
    echo "init.sh: database and role '$service' ready"
done
