# Two entry points for a fresh clone (Python 3.11, no GPU needed):
#   make demo   set up .venv and run the whole experiment on the embedded axon phantoms
#   make test   set up .venv, lint (ruff) and run the test suite (what CI runs)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export KEDRO_DISABLE_TELEMETRY := 1
# The demo starts over each time: derived outputs of an earlier run are replaced, not refused.
DEMO_PARAMS := data_engineering.overwrite=true,nnunet_export.overwrite=true,syndiff_training.overwrite=true,translation.overwrite=true,segmentation.planning.replan=true,segmentation.training.continue_training=false

.PHONY: install demo test test-slow viz mlflow-ui

$(BIN)/kedro: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e ".[test]"
	touch $(BIN)/kedro

install: $(BIN)/kedro

demo: install
	$(BIN)/kedro run --params $(DEMO_PARAMS)

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

test-slow: install
	$(BIN)/pytest -m slow

viz: install
	$(BIN)/kedro viz run --no-browser

mlflow-ui: install
	$(BIN)/mlflow ui --backend-store-uri sqlite:///mlflow.db --default-artifact-root ./mlruns
