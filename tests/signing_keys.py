"""Signing keys for tests and the bench: the ISU's (a self-signed pair made by the portal's own
`signing_key create` code), another key that is not the ISU's, and a local RFC 3161 timestamp
authority (pyHanko's DummyTimeStamper behind a loopback HTTP server) so nothing reaches the network."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

from meetings import signing


def make_key_pair(folder, name, *, passphrase=""):
    """(key_file, cert_file, fingerprint) of a new self-signed pair under `folder`."""
    key_file, cert_file = folder / f"{name}-key.pem", folder / f"{name}-cert.pem"
    fingerprint = signing.create_self_signed(key_file, cert_file, common_name=name, passphrase=passphrase)
    return key_file, cert_file, fingerprint


class TimestampAuthority:
    """An RFC 3161 timestamp authority on 127.0.0.1, for the length of a `with` block."""

    def __init__(self):
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's is RSA-only
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test timestamp authority")])
        now = timezone.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(private_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(private_key, hashes.SHA256())
        )
        key_der = private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self.certificate = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        self.stamper = DummyTimeStamper(tsa_cert=self.certificate, tsa_key=asn1_keys.PrivateKeyInfo.load(key_der))
        self.requests = 0

    def __enter__(self):
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                response = authority.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                authority.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
