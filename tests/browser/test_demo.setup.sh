#!/usr/bin/env bash
# The database of test_demo.mjs: the demo register exactly as `make run` builds
# it (tests/demo_db.sh). Usage (by tests/browser/run.sh): SOMON=… tests/browser/test_demo.setup.sh DB
exec bash "$(dirname "$0")/../demo_db.sh" "$@"
