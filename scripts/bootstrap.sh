#!/usr/bin/env bash
# Install what Kota LIVE needs and this machine lacks, then sync the Python workspace.
#   scripts/bootstrap.sh          what `make up` needs: Java + Maven (Kafka), PostgreSQL, uv
#   scripts/bootstrap.sh --test   also what the tests need: docker-compose (validates compose),
#                                 redis-server (the shared rate-limit test)
# Idempotent and quiet when everything is there. System packages come from apt (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null || missing+=(default-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [[ "${1:-}" == "--test" ]]; then
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v redis-server >/dev/null || missing+=(redis-server)
fi

if ((${#missing[@]})); then
  if [[ "$(id -u)" != 0 ]]; then
    echo "Please install: ${missing[*]}  (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing ${missing[*]} with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v uv >/dev/null; then
  echo "installing uv…"
  python3 -m pip install --quiet --user "uv==0.13.8" 2>/dev/null \
    || python3 -m pip install --quiet "uv==0.13.8"
fi
export PATH="$HOME/.local/bin:$PATH"
uv sync --frozen --quiet
