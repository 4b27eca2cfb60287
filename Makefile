# The README's two commands are `make run` and `make test`; each sets itself up first.
.PHONY: run test setup setup-test lint check-lint bench evaluate

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

# Ingest the default corpus (the founding article) and show what was found.
run: setup
	.venv/bin/claimcheck ingest corpus/
	.venv/bin/claimcheck speakers
	.venv/bin/claimcheck claims

# The whole test suite: lint and types, fast tests, real-model tests and browser tests.
test: setup-test
	$(MAKE) --no-print-directory check-lint
	.venv/bin/python -m pytest -q

lint: setup-test
	$(MAKE) --no-print-directory check-lint

check-lint:
	.venv/bin/ruff check claimcheck tests bench
	.venv/bin/ruff format --check claimcheck tests bench
	.venv/bin/mypy claimcheck

evaluate: setup
	.venv/bin/claimcheck evaluate tests/data/devset

bench: setup
	.venv/bin/python bench/run.py
