// The Sign-in security page: once django-otp-webauthn's script has registered a passkey, reload the
// page so that it lists the new passkey (the server queued a message saying so).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
