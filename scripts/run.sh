#!/usr/bin/env bash
# Builds the web application and serves it with the API on http://127.0.0.1:8080, on an embedded
# SQLite database under ./data/ (created, migrated and seeded on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
# Installs the toolchain and targets pinned in rust-toolchain.toml; a no-op when present.
rustup toolchain install >/dev/null
exec cargo xtask run "$@"
