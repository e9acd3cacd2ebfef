#!/bin/sh
# Generates configure and Makefile.in; then run ./configure && make.
set -e
cd "$(dirname "$0")"
autoreconf --install --force
