# The two set-up commands (README.md). Both install what is missing first.
.PHONY: dev test stop bench

## Build, start the local Supabase-compatible stack and serve the app on http://127.0.0.1:3000.
dev:
	@scripts/dev.sh

## Run every test layer against instances of its own; ends with one summary line.
test:
	@scripts/test.sh

## Stop what `make dev` started.
stop:
	@scripts/dev.sh stop

## Performance report (not part of `make test`): bench/report.md and bench/report.json.
bench:
	@scripts/bench.sh
