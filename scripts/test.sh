#!/usr/bin/env bash
# Runs every test: formatting, unit and integration tests on SQLite and PostgreSQL, the OpenAPI
# lock and validation, the SPA build and the browser tests. Installs or starts what they need.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup toolchain install >/dev/null
exec cargo xtask test "$@"
