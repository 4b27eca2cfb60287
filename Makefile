# The README's two commands are `make run` and `make test`; each sets itself up first.
.PHONY: run test setup setup-test lint check-lint bench evaluate train-judge

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

# Ingest the default corpus (the founding article), show what was found, then check a rival's
# story (test material with deliberate errors) against it with the shipped learned judge.
run: setup
	.venv/bin/claimcheck ingest corpus/
	.venv/bin/claimcheck speakers
	.venv/bin/claimcheck claims
	.venv/bin/claimcheck check tests/data/devset/articles/B01_capital_courier_errors.txt

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

# Train the learned judge's pair classifier, adapt it to the labelled news and fit its verdict
# policy, on these 2 cores in about 85 minutes (the base classifier about 22, the adaptation on
# 176 articles with its fold models about 58), from the public NLI files beside the checkout
# (../shared/nli) and the labelled
# articles under tests/data/. Resumable: data, checkpoints and figures go to build/judge/; the
# model is written to claimcheck/judge/model/ (see its README.md, the model card).
# ARGS=--no-adapt trains and ships the base classifier only.
train-judge: setup
	.venv/bin/pip install -q -e ".[train]"
	.venv/bin/python -m claimcheck.training --shared ../shared/nli --work build/judge \
		--out claimcheck/judge/model $(ARGS)
