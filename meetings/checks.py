"""System checks of the signing of official records: a configured key that cannot sign stops the
start; no key at all is a warning of `check --deploy` (records would be stored unsigned)."""

from django.core import checks

from meetings import signing


@checks.register()
def signing_key_usable(app_configs, **kwargs):
    problem = signing.configuration_problem()
    if problem:
        return [checks.Error(problem, hint="See SIGNING_* in .env.example.", id="meetings.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def signing_key_configured(app_configs, **kwargs):
    if signing.is_configured():
        return []
    return [
        checks.Warning(
            "No signing key is configured: adopted minutes will be stored as unsigned official records.",
            hint="Set SIGNING_KEY_FILE and SIGNING_CERT_FILE (`manage.py signing_key create` makes a "
            "self-signed pair), then run `manage.py sign_official_records` for records stored meanwhile.",
            id="meetings.W001",
        )
    ]
