from __future__ import annotations

import hashlib
import time

import pytest

from chalicelib.domain import auth
from chalicelib.errors import Unauthorized
from devstack.demo import save_staff


@pytest.fixture
def ann(aws):
    return save_staff("ann@example.org", "Ann", "lib", "correct horse battery")


def test_a_token_reads_back_as_the_librarian_it_was_issued_to(ann):
    token = auth.signed_in(ann).token
    assert auth.read_token(token) == auth.Librarian("ann@example.org", "Ann", "lib", False)


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "e30" + t[3:], lambda t: t.split(".")[0]])
def test_a_tampered_token_is_refused(ann, mangle):
    with pytest.raises(Unauthorized):
        auth.read_token(mangle(auth.signed_in(ann).token))


def test_an_expired_token_is_refused(ann, monkeypatch):
    token = auth.signed_in(ann).token
    monkeypatch.setattr(time, "time", lambda: 10**12)
    with pytest.raises(Unauthorized, match="expired"):
        auth.read_token(token)


def test_a_revoked_token_is_refused_and_a_new_sign_in_works(ann):
    token = auth.signed_in(ann).token
    auth.revoke(ann)
    with pytest.raises(Unauthorized, match="signed out"):
        auth.read_token(token)
    assert auth.read_token(auth.signed_in(ann).token).email == "ann@example.org"


def test_passwords_are_salted_and_checked_with_their_stored_parameters():
    stored = auth.hash_password("s3cret")
    assert stored.startswith("scrypt$16384$8$5$") and stored != auth.hash_password("s3cret")
    assert auth.password_matches("s3cret", stored)
    assert not auth.password_matches("wrong", stored)
    assert not auth.password_matches("s3cret", None)  # an invitation not yet used
    salt = b"0123456789abcdef"
    old = f"scrypt${salt.hex()}${hashlib.scrypt(b'older', salt=salt, n=2**14, r=8, p=1).hex()}"
    assert auth.password_matches("older", old)  # hashes from before the parameters were stored
