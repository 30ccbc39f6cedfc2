// Once django-otp-webauthn's script has registered a passkey: on the set-up page of a first login,
// post the form that shows the recovery codes; on the Sign-in security page, reload the page so that
// it lists the new passkey (the server queued a message saying so).
document.addEventListener("otp_webauthn.register_complete", () => {
  const enrolled = document.getElementById("passkey-enrolled");
  if (enrolled) {
    enrolled.submit();
  } else {
    window.location.reload();
  }
});
