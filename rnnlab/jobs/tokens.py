"""Signed tokens: how the server knows, on a reload, who it gave a name to.

A person who joins the class gets a token that their browser keeps (rnnlab.ui.identity writes it
into a cookie). The browser may send it back changed, copied or years old, so the server signs
it and checks the signature before believing a word of it:

    token     = payload "." signature
    payload   = base64url(JSON {"id": 7, "name": "Ada", "teacher": false, "expires": 1767225600})
    signature = base64url(HMAC-SHA256(secret, payload))

HMAC (RFC 2104) with SHA-256 is a keyed hash: without the secret nobody can compute the
signature of a changed payload, so a token whose name or role was edited, or that was made up,
fails `verify`. The signature is compared with `hmac.compare_digest`, which takes as long for a
near miss as for a wild guess, so its timing gives nothing away. The payload is signed, not
encrypted: anyone holding a token can read the name in it, which is no secret in a classroom.

The secret is RNNLAB_SECRET when the operator sets it (several servers sharing one store need the
same one); otherwise a random 32-byte secret is made once, on first use, into `<home>/secret`
(readable by the server's user only, mode 0600) and read from there, so tokens survive a
restart. Deleting that file signs everyone out.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

SECRET_FILE = "secret"
# How long a token is good for: a school day, so yesterday's tokens do not open today's class.
TOKEN_SECONDS = 12 * 3600


class TokenError(ValueError):
    """A token that is not one this server signed, was changed, or has expired."""


def server_secret(home: Path) -> bytes:
    """The key tokens are signed with: RNNLAB_SECRET, else `<home>/secret`, made on first use.

    Args:
        home: the store's folder (rnnlab.jobs.store.Store.home).
    Returns:
        The secret's bytes (at least 32 random bytes when this function made it).
    """
    configured = os.environ.get("RNNLAB_SECRET")
    if configured:
        return configured.encode("utf-8")
    path = Path(home) / SECRET_FILE
    try:
        # O_EXCL: two server processes starting at once cannot both write a secret.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_hex(32).encode("ascii"))
    return path.read_bytes()


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, payload: str) -> str:
    return _encode(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())


def sign(claims: dict, secret: bytes, lifetime: float = TOKEN_SECONDS,
         now: float | None = None) -> str:
    """A token that carries `claims` and expires `lifetime` seconds from `now`.

    Args:
        claims: JSON-serialisable facts about the person (id, name, teacher).
        secret: the server's key (server_secret).
        lifetime: seconds until the token is refused.
        now: the time to count from (time.time() when None; tests pass their own).
    Returns:
        A string of base64url characters and one dot, safe in a cookie.
    """
    expires = (time.time() if now is None else now) + lifetime
    payload = _encode(json.dumps({**claims, "expires": expires}, sort_keys=True).encode("utf-8"))
    return f"{payload}.{_signature(secret, payload)}"


def verify(token: str, secret: bytes, now: float | None = None) -> dict:
    """The claims of a token this server signed, if it is intact and not expired.

    Raises:
        TokenError: in words: the token is malformed, its signature does not match (it was
            changed or signed with another secret), or it has expired.
    """
    payload, dot, signature = (token or "").partition(".")
    if not dot or not payload or not signature:
        raise TokenError("The saved sign-in is not in the form this server writes.")
    try:
        is_signed = hmac.compare_digest(signature.encode("ascii"),
                                        _signature(secret, payload).encode("ascii"))
    except (UnicodeEncodeError, ValueError):  # characters no signature of ours contains
        is_signed = False
    if not is_signed:
        raise TokenError("The saved sign-in was not signed by this server, or it was changed.")
    try:
        claims = json.loads(_decode(payload))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise TokenError("The saved sign-in is damaged.") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("expires"), (int, float)):
        raise TokenError("The saved sign-in is damaged.")
    if claims["expires"] <= (time.time() if now is None else now):
        raise TokenError("The saved sign-in has expired (it lasts a school day).")
    return claims
