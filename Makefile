# Thin wrapper over scripts/: each target does its own set-up.
.PHONY: run test lint setup bench bench-10x

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

# Ten times the members and the ledger (1,000,000 and 10,000,000), compared with the last `make bench`.
bench-10x:
	scripts/bench.sh 10
