from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from ccm_portal import login, mfa, passkeys, security, views
from portal.caching import published_page
from portal.sitemaps import SITEMAPS

admin.site.site_header = "CCM Portal administration"
admin.site.site_title = "CCM Portal admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", published_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    # Without a CSRF token, so that public pages carry no per-visitor token and stay cacheable;
    # the worst a forged request can do is change a visitor's interface language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("accounts/password_reset/", login.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/second-factor/", mfa.mfa_verify, name="mfa_verify"),
    path("accounts/second-factor/setup/", mfa.mfa_setup, name="mfa_setup"),
    path("accounts/second-factor/setup/passkey/", mfa.mfa_setup_passkey, name="mfa_setup_passkey"),
    path("accounts/passkeys/", include((passkeys.urlpatterns, "otp_webauthn"))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sign-in-security/", security.sign_in_security, name="sign_in_security"),
    path("sign-in-security/recovery-codes/", security.recovery_codes_renew, name="recovery_codes_renew"),
    path("sign-in-security/app/remove/", security.authenticator_app_remove, name="authenticator_app_remove"),
    path("sign-in-security/passkeys/<int:pk>/remove/", security.passkey_remove, name="passkey_remove"),
    # Staff and coordinators' pages first: "meetings/import/" is not a meeting's date.
    path("", include("meetings.urls")),
    path("", include("portal.urls")),
]

# A database outage answers 503 with Retry-After instead of a bare 500 (ccm_portal/views.py).
handler500 = "ccm_portal.views.server_error"
