#!/usr/bin/env python3
"""Exempelkommun's endpoints as real servers on 127.0.0.1, for scripts/demo and the tests.

Each port has its own TLS profile, including the municipality's gaps, so a scan observes them:

  18443  IFO, external         TLS 1.2+1.3, valid chain, client certificate (SITHS) required
  18444  IFO, internal         TLS 1.2+1.3, valid chain
  18445  Äldreomsorg, external TLS 1.0 and 1.1 still enabled, certificate expiring in days
  18446  Mobile home care app  self-signed 1024-bit SHA-1 certificate for the wrong name
  18447  HSL journal (SITHS)   TLS 1.3 only, client certificate required
  18448  E-service portal      HTTPS with HSTS, anonymous requests redirected to the IdP
  18449  IdP                   OIDC discovery offering Swedish eID LoA3
  18080  plain HTTP            redirects to the portal over HTTPS
  18450  Web site              www.exempelkommun.se: the published styrdokument (www/), the
                               listing page /styrdokument/ and a riktlinje as an HTML page

Each port is served by its own thread: a port another copy of these servers already holds is
left to it (the bind fails in that thread only), so a newer copy still serves its new ports.

DEMO ONLY. Started by ./start, stopped by ./stop; runs in the foreground when called directly.
"""
import json
import os
import signal
import socket
import ssl
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
CERTS = os.path.join(HERE, "certs")
HOST = "127.0.0.1"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"


def context(cert, minimum=ssl.TLSVersion.TLSv1_2, maximum=ssl.TLSVersion.TLSv1_3,
            client_ca=None, legacy=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if legacy:
        # Old protocols and a weak key need security level 0 on the server side too.
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = minimum
    ctx.maximum_version = maximum
    ctx.load_cert_chain(os.path.join(CERTS, cert + ".pem"), os.path.join(CERTS, cert + ".key"))
    if client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(os.path.join(CERTS, client_ca))
    return ctx


def http_response(status, reason, headers=(), body=b""):
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def answer(path):
    """The reply of the portal/IdP/plain ports for a request path."""
    return http_response(200, "OK", [("Content-Type", "text/plain")], b"Exempelkommun demo\n")


def portal(path):
    hsts = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if path.startswith("/public"):
        return http_response(200, "OK", [hsts], b"public page\n")
    location = f"https://{HOST}:18449/authorize?client_id=etjanster&acr_values={LOA3}"
    return http_response(302, "Found", [hsts, ("Location", location)])


def idp(path):
    if path == "/.well-known/openid-configuration":
        doc = {
            "issuer": f"https://{HOST}:18449/",
            "authorization_endpoint": f"https://{HOST}:18449/authorize",
            "token_endpoint": f"https://{HOST}:18449/token",
            "jwks_uri": f"https://{HOST}:18449/jwks",
            "acr_values_supported": [LOA3, LOA2],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        body = json.dumps(doc, indent=2).encode()
        return http_response(200, "OK", [("Content-Type", "application/json")], body)
    return http_response(200, "OK", [("Content-Type", "text/html")], b"<form>login</form>\n")


WWW = os.path.join(HERE, "www")
TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".odt": "application/vnd.oasis.opendocument.text"}


def website(path):
    """The municipality's web site: files under www/ (a folder's index.html), nothing else."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path == "/styrdokument":
        return http_response(301, "Moved Permanently", [("Location", "/styrdokument/")])
    rel = os.path.normpath(path.lstrip("/")) if path != "/" else "."
    if rel.startswith(".."):
        return http_response(404, "Not Found")
    full = os.path.join(WWW, rel)
    if os.path.isdir(full):
        full = os.path.join(full, "index.html")
    if not os.path.isfile(full):
        return http_response(404, "Not Found", [("Content-Type", "text/plain")], b"finns inte\n")
    with open(full, "rb") as f:
        body = f.read()
    kind = TYPES.get(os.path.splitext(full)[1], "application/octet-stream")
    return http_response(200, "OK", [("Content-Type", kind)], body)


def plain(path):
    return http_response(301, "Moved Permanently", [("Location", f"https://{HOST}:18448{path}")])


def handle(conn, ctx, reply):
    conn.settimeout(5)
    try:
        if ctx is not None:
            conn = ctx.wrap_socket(conn, server_side=True)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        path = "/"
        if data:
            parts = data.split(b"\r\n", 1)[0].split()
            if len(parts) >= 2:
                path = parts[1].decode("latin-1")
        conn.sendall(reply(path))
    except (OSError, ssl.SSLError, ValueError):
        pass  # probes make many handshakes that end early on purpose
    finally:
        try:
            conn.close()
        except OSError:
            pass


def serve(port, ctx, reply):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(128)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=handle, args=(conn, ctx, reply), daemon=True).start()


def main():
    tls12 = ssl.TLSVersion.TLSv1_2
    tls13 = ssl.TLSVersion.TLSv1_3
    servers = [
        (18443, context("ifo", client_ca="siths-ca.pem"), answer),
        (18444, context("ifo-intern"), answer),
        (18445, context("omsorg", minimum=ssl.TLSVersion.TLSv1, legacy=True), answer),
        (18446, context("hemtjanst", legacy=True), answer),
        (18447, context("journal", minimum=tls13, maximum=tls13, client_ca="siths-ca.pem"), answer),
        (18448, context("etjanster", minimum=tls12), portal),
        (18449, context("idp", minimum=tls12), idp),
        (18080, None, plain),
        (18450, context("www", minimum=tls12), website),
    ]
    for port, ctx, reply in servers:
        threading.Thread(target=serve, args=(port, ctx, reply), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("exempelkommun demo servers ready", flush=True)
    signal.pause()


if __name__ == "__main__":
    main()
