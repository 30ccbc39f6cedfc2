# The two commands of the README are `make run` and `make test`; the rest serve them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in feeds, the API, the sitemap and emails point at the port the demo serves on.
SITE_URL ?= http://127.0.0.1:$(PORT)
# Only for the local demo and the test run; production sets its own SECRET_KEY.
# The demo signs official records with a demo key under var/, made on the first start, unless
# SIGNING_KEY_FILE and SIGNING_CERT_FILE name another.
DEMO_KEY := var/signing/demo-key.pem
SIGNING_KEY_FILE ?= $(DEMO_KEY)
SIGNING_CERT_FILE ?= var/signing/demo-cert.pem
LOCAL_ENV := DEBUG=true EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend SECURE_COOKIES=false \
	SIGNING_KEY_FILE=$(SIGNING_KEY_FILE) SIGNING_CERT_FILE=$(SIGNING_CERT_FILE) \
	SITE_URL=$(SITE_URL)
TEST_ENV := SECRET_KEY=insecure-test-only-key DEBUG=false

.PHONY: run test bench lint check lock clean

$(BIN)/.installed: requirements.txt pyproject.toml
	@echo "Setting up $(VENV) from requirements.txt: $$(grep -c '==' requirements.txt) packages, a few minutes on the first run"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	@touch $@

run: $(BIN)/.installed
	@if [ "$(SIGNING_KEY_FILE)" = "$(DEMO_KEY)" ]; then \
		$(LOCAL_ENV) $(BIN)/python manage.py signing_key create --demo --if-missing; fi
	@$(LOCAL_ENV) $(BIN)/python manage.py migrate --no-input -v0
	@$(LOCAL_ENV) $(BIN)/python manage.py loaddemo --if-empty
	@$(LOCAL_ENV) $(BIN)/python manage.py sign_official_records
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

lock:
	$(BIN)/pip freeze --exclude-editable > requirements.txt

clean:
	rm -rf $(VENV) var/staticfiles
