# Winnow: the two commands that matter are `make run` (the main job on the embedded
# broker) and `make test` (install everything, pass the tests). `.ci/run` calls `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
ARGS   ?=

.PHONY: run test install install-bench bench eval train fuzz crash-test lint clean schemas deploy-schemas

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c constraints.txt -e '.[test,bench,fuzz]'
	touch $@

install: $(VENV)/.installed

## The main job: embedded broker + workers + sample documents, readable summary.
run: install
	$(VENV)/bin/winnow run $(ARGS)

## Install everything (Python deps, Debian prometheus) and run the whole test suite.
test: install
	scripts/ensure-prometheus.sh
	$(PY) -m pytest -q

## Quality: token F1 and friends on ../shared/corpus (seed, text-dev, flattened Dragnet),
## then HTML content F1 side by side with trafilatura and resiliparse (bench/eval_html.py, with the
## blind set tests/data/heldout3), comment authors against the markup (bench/eval_comment_authors.py) and
## comment records from gold, model and rule line labels (bench/eval_comment_records.py) and on Dragnet
## pages flattened to plain text by other flatteners (bench/eval_comment_text.py), and what every extractor
## gives on pages without main content (blind set tests/data/heldout4, bench/eval_empty.py).
eval: install
	$(PY) bench/eval.py --corpus all
	$(PY) bench/eval_html.py
	$(PY) bench/eval_comment_authors.py
	$(PY) bench/eval_comment_records.py
	$(PY) bench/eval_comment_text.py
	$(PY) bench/eval_empty.py

## Rebuild the three trained models from ../shared (site-split validation figures printed):
## the line labeller (workers/core/labeller/data/), the page-kind classifier
## (workers/core/stages/data/page_kind.json) and the title chooser
## (workers/core/stages/data/title_chooser.json). Without ../shared it says what is missing, exit 2.
train: install
	$(PY) -m workers.training $(ARGS)
	$(PY) -m workers.training.page_models

## Speed and memory, side by side with named baselines; writes bench/results.json.
bench: install
	$(PY) bench/bench.py

## Crash stress test (not in `make test`): 20 random SIGKILLs per mode (one process per
## stage; all stages in one process), half of them with a CPU hog on every core; prints
## lost ids (must be 0) and the duplicate rate per run. RUNS=5 for a shorter run.
crash-test: install
	$(PY) scripts/crash_test.py --runs $${RUNS:-20} --mode both

## Record contracts: regenerate topics/schemas/ (JSON Schema) from topics/records.py.
## Refuses a record change without a schema_version bump (docs/record-contracts.md).
schemas: install
	$(PY) -m topics.schemagen

## Third-party schemas the tests validate against (network: PyPI + npm; results committed):
## KEDA's ScaledObject/TriggerAuthentication and Grafana's dashboard model.
KEDA_MODELS ?= cloudcoil-models-keda==2.16.1.0
deploy-schemas:
	rm -rf .schema-venv && $(PYTHON) -m venv .schema-venv
	.schema-venv/bin/pip install -q '$(KEDA_MODELS)'
	.schema-venv/bin/python deploy/k8s/schemas/generate_keda.py
	rm -rf .schema-venv
	deploy/grafana/schema/generate.sh

## A longer coverage-guided fuzzing run of the stage functions (atheris).
fuzz: install
	$(PY) tests/fuzz/fuzz_stages.py -max_total_time=$${FUZZ_SECONDS:-300}

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
	find workers -name '_*.so' -delete  # the C extensions (_trees, _columns, _viterbi, _simhash, _langid, _domwalk), built in place by make install
