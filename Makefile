# The two commands of README.md: `make run` and `make test`. Both install what is missing first (idempotent).
.PHONY: setup run sim test lint screens translations lock

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

sim: setup
	@bash scripts/run.sh sim

test: setup
	@bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy

screens: setup
	QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_screens.py

translations: setup
	@bash scripts/update_translations.sh

# The Debian package dist/sifee-kiosk_VERSION_amd64.deb (scripts/build_deb.sh, docs/packaging.md).
.PHONY: deb
deb: setup
	@bash scripts/build_deb.sh

# Benchmarks: every figure of docs/performance.md beside its target, and the machine (BENCH_ARGS="--only memory").
.PHONY: bench
bench: setup
	@QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench/run.py $(BENCH_ARGS)

# requirements.lock: the newest versions pyproject.toml allows, with hashes (scripts/lock.sh); commit the result.
lock: setup
	@bash scripts/lock.sh
