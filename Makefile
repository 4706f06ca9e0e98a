# Two entry points for a fresh clone (see README.md):
#   make app    create .venv, install the app's requirements, start the app
#   make test   create .venv, install the test requirements, run the tests
#   make class  like make app, but listening on every network interface, for a class on a LAN
# Set RNNLAB_DATA_DIR to a folder with the real IMDB files to include the real-data tests.

VENV := .venv
PY := $(VENV)/bin/python

.PHONY: app class test

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.app-installed

app: $(VENV)/.app-installed
	$(PY) -m streamlit run serve.py

class: $(VENV)/.app-installed
	$(PY) -m streamlit run serve.py --server.address 0.0.0.0

# The light tests two at a time, then the ones that start servers or train, alone (see
# tests/conftest.py: SERIAL); both parts always run, and either failing fails the target.
test: $(VENV)/.dev-installed
	$(PY) -m pytest -m "not serial" -n 2 --dist loadfile; light=$$?; \
	$(PY) -m pytest -m serial; serial=$$?; \
	test $$light = 0 && test $$serial = 0
