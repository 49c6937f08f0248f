#!/usr/bin/env bash
# Install what Kota LIVE needs and this machine lacks, then sync the Python workspace.
#   scripts/bootstrap.sh          what `make up` needs: Java + Maven (Kafka), PostgreSQL, curl
#                                 (the README's walk-through), uv
#   scripts/bootstrap.sh --test   also what the tests need: docker-compose (validates compose),
#                                 redis-server (the shared rate-limit test), chromium (renders
#                                 the API docs page headless; never a browser Playwright fetches)
# Idempotent and quiet when everything is there. System packages come from apt (as root);
# uv comes from PyPI into a virtual environment of its own, because Debian 12 and Ubuntu 24.04
# refuse `pip install` outside one (PEP 668, "externally-managed-environment").
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"
UV_HOME="${XDG_DATA_HOME:-$HOME/.local/share}/kota/uv"
BIN_DIR="$HOME/.local/bin"
export PATH="$BIN_DIR:$PATH"

missing=()
command -v java >/dev/null || missing+=(default-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v curl >/dev/null || missing+=(curl)
if ! command -v uv >/dev/null && ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  # Debian and Ubuntu ship venv's pip bootstrap separately.
  missing+=(python3-venv)
fi
if [[ "${1:-}" == "--test" ]]; then
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
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
  echo "installing uv ${UV_VERSION} into ${UV_HOME}…"
  rm -rf "$UV_HOME"
  python3 -m venv "$UV_HOME"
  "$UV_HOME/bin/python" -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
  mkdir -p "$BIN_DIR"
  ln -sf "$UV_HOME/bin/uv" "$BIN_DIR/uv"
  ln -sf "$UV_HOME/bin/uvx" "$BIN_DIR/uvx"
fi
uv sync --frozen --quiet
