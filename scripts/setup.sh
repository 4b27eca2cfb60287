#!/usr/bin/env bash
# Set up claimcheck in ./.venv on a fresh machine: the CPU build of torch first (pinned, so that
# nothing pulls a multi-GB CUDA build), then the package; with --test, the test tools and the
# Chromium that the browser tests drive.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1
pip install -q "torch==2.13.0"
if [ "${1:-}" = "--test" ]; then
  pip install -q -e ".[test]"
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
        || echo "setup: could not install chromium; browser tests will fail" >&2
    else
      echo "setup: /usr/bin/chromium is missing; install Debian's chromium for the browser tests" >&2
    fi
  fi
else
  pip install -q -e .
fi
