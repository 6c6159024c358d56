# Thin wrapper over scripts/: each target does its own set-up.
.PHONY: run test lint setup bench

run:
	scripts/run.sh

test:
	scripts/test.sh

lint:
	scripts/setup.sh >/dev/null && scripts/lint.sh

setup:
	scripts/setup.sh

bench:
	scripts/bench.sh
