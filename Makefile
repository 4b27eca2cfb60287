# The README's two commands are `make run` and `make test`; each sets itself up first.
.PHONY: run test setup setup-test lint bench evaluate

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

# Ingest the default corpus (the founding article) and show what was found.
run: setup
	.venv/bin/claimcheck ingest corpus/
	.venv/bin/claimcheck speakers
	.venv/bin/claimcheck claims

# The whole test suite: fast tests, real-model tests and browser tests.
test: setup-test
	.venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check claimcheck tests bench
	.venv/bin/ruff format --check claimcheck tests bench
	.venv/bin/mypy claimcheck

evaluate: setup
	.venv/bin/claimcheck evaluate tests/data/devset

bench: setup
	.venv/bin/python bench/run.py
