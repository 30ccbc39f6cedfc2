# The two commands of the README are `make run` and `make test`; the rest serve them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Only for the local demo and the test run; production sets its own SECRET_KEY.
LOCAL_ENV := DEBUG=true EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend SECURE_COOKIES=false
TEST_ENV := SECRET_KEY=insecure-test-only-key DEBUG=false

# pip-tools and pip-audit live in their own environment, apart from the portal's.
TOOLS := var/tools

.PHONY: run test bench lint check lock audit clean

$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@echo "Setting up $(VENV) from requirements-dev.txt (hash-checked)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	@touch $@

$(TOOLS)/.installed:
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.6.2 pip-audit==2.10.1
	@touch $@

run: $(BIN)/.installed
	@$(LOCAL_ENV) $(BIN)/python manage.py migrate --no-input -v0
	@$(LOCAL_ENV) $(BIN)/python manage.py loaddemo --if-empty
	@$(LOCAL_ENV) $(BIN)/python manage.py reindex_search -v0
	@$(LOCAL_ENV) $(BIN)/python manage.py demo_logins
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	@$(LOCAL_ENV) $(BIN)/python manage.py runserver --skip-checks 127.0.0.1:$(PORT)

test: $(BIN)/.installed
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(TEST_ENV) $(BIN)/pytest

bench: $(BIN)/.installed
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(TEST_ENV) $(BIN)/python -m tests.bench

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-resolve both locks from pyproject.toml, with hashes; production's lock has no test tools.
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --no-header --no-annotate --no-emit-index-url \
	--no-emit-find-links --allow-unsafe
lock: $(TOOLS)/.installed
	$(TOOLS)/bin/pip-compile $(LOCK_FLAGS) -o requirements.txt pyproject.toml
	$(TOOLS)/bin/pip-compile $(LOCK_FLAGS) --extra dev -o requirements-dev.txt pyproject.toml

# Known vulnerabilities in the production lock. Without the advisory database (offline), it says
# so and fails rather than report "no known vulnerabilities" for packages it could not look up.
audit: $(TOOLS)/.installed
	@$(TOOLS)/bin/pip-audit --requirement requirements.txt --require-hashes --disable-pip --strict \
		--progress-spinner off > var/audit.log 2>&1; status=$$?; cat var/audit.log; \
	if [ $$status -ne 0 ] && grep -q -E "not found on PyPI|Connection|Max retries|resolve" var/audit.log; then \
		echo "make audit: the vulnerability database (PyPI's advisory API) cannot be reached from here;"; \
		echo "            the dependencies were NOT checked. Run it again with network access."; \
	fi; exit $$status

clean:
	rm -rf $(VENV) var/staticfiles
