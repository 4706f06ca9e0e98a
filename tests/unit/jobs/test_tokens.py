"""Signed tokens: what the browser keeps is believed only when this server signed it, unchanged,
and it has not expired; the secret is made once, private, and kept across restarts."""
import base64
import json
import stat

import pytest

from rnnlab.jobs import tokens
from rnnlab.jobs.tokens import TokenError, server_secret, sign, verify

SECRET = b"k" * 32


def test_a_signed_token_gives_back_its_claims_until_it_expires():
    token = sign({"id": 7, "name": "Ada", "teacher": False}, SECRET, lifetime=100, now=1000.0)
    claims = verify(token, SECRET, now=1099.0)
    assert (claims["id"], claims["name"], claims["teacher"], claims["expires"]) == (
        7, "Ada", False, 1100.0)
    with pytest.raises(TokenError, match="has expired"):
        verify(token, SECRET, now=1100.0)


def test_a_changed_payload_is_refused():
    token = sign({"id": 7, "name": "Ada", "teacher": False}, SECRET, now=1000.0)
    payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["teacher"] = True  # a student making themselves the teacher
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(TokenError, match="not signed by this server, or it was changed"):
        verify(f"{forged}.{signature}", SECRET, now=1001.0)


def test_another_secret_a_cut_signature_and_rubbish_are_refused():
    token = sign({"id": 1, "name": "Bob"}, SECRET, now=1000.0)
    with pytest.raises(TokenError, match="not signed by this server"):
        verify(token, b"another secret", now=1001.0)
    with pytest.raises(TokenError, match="not signed by this server"):
        verify(token[:-2], SECRET, now=1001.0)
    for rubbish in ("", "no-dot", ".", "a.", "é.é", "a.b.c"):
        with pytest.raises(TokenError):
            verify(rubbish, SECRET, now=1001.0)


def test_the_secret_file_is_made_once_with_owner_only_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("RNNLAB_SECRET", raising=False)
    first = server_secret(tmp_path)
    assert len(first) == 64 and server_secret(tmp_path) == first  # a restart reads it back
    assert stat.S_IMODE((tmp_path / tokens.SECRET_FILE).stat().st_mode) == 0o600
    monkeypatch.setenv("RNNLAB_SECRET", "set by the operator")
    assert server_secret(tmp_path) == b"set by the operator"
