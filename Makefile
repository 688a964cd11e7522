# The two set-up commands (README.md). Both install what is missing first.
.PHONY: dev test stop bench e2e lint

## Build, start the local Supabase-compatible stack and serve the app on http://127.0.0.1:3000.
dev:
	@scripts/dev.sh

## Run every test layer against instances of its own; ends with one summary line.
test:
	@scripts/test.sh

## Style and static checks (rustfmt, clippy -D warnings, deno fmt/lint, import circles); make test runs them first.
lint:
	@scripts/lint.sh

## Stop what `make dev` started.
stop:
	@scripts/dev.sh stop

## Performance report (not part of `make test`): bench/report.md and bench/report.json.
bench:
	@scripts/bench.sh

## The browser journeys against a stack of their own (README: "Running one journey").
## JOURNEY=publish_panel runs one file; DEV=1 runs it against the running `make dev`.
e2e:
	@scripts/e2e.sh $(if $(DEV),--dev) $(JOURNEY)
