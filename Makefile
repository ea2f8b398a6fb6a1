# The two commands of README.md: `make run` and `make test`. Both install what is missing first.
.PHONY: setup run sim test lint screens bench

setup:
	@bash scripts/setup.sh

run: setup
	.venv/bin/kiosk run --config config/simulated.toml

sim: setup
	.venv/bin/kiosk sim

test: setup
	@bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .

screens: setup
	QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_screens.py

bench: setup
	.venv/bin/python -m pytest tests/bench --benchmark-enable -p no:randomly -q
