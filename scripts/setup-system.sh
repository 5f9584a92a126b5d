#!/usr/bin/env bash
# System packages the course uses but pip cannot provide:
#   bubblewrap - the sandbox the autograder runs student code in
#   chromium   - headless browser for the test that looks at the built book
#   postgresql - a database server for the test of a PostgreSQL gradebook (each
#                test starts and stops its own server in a temporary folder)
# Installs them with apt-get when we are root on Debian/Ubuntu; otherwise
# says what is missing and how to install it. Never fails the set-up:
# `nncourse grade` refuses to run student code without a sandbox, and the
# browser and PostgreSQL tests report what is missing themselves.
set -u
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} with apt-get"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || echo "setup: apt-get install ${missing[*]} failed" >&2
else
    echo "setup: not installed: ${missing[*]}. Install them with your package manager" \
         "(Debian/Ubuntu: sudo apt-get install ${missing[*]})." >&2
fi
exit 0
