from __future__ import annotations

import time

import pytest

from chalicelib.domain import auth
from chalicelib.errors import Unauthorized

ANN = auth.Librarian("ann@example.org", "Ann", "lib", False)


def test_a_token_reads_back_as_the_librarian_it_was_issued_to():
    assert auth.read_token(auth.issue_token(ANN)) == ANN


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "e30" + t[3:], lambda t: t.split(".")[0]])
def test_a_tampered_token_is_refused(mangle):
    with pytest.raises(Unauthorized):
        auth.read_token(mangle(auth.issue_token(ANN)))


def test_an_expired_token_is_refused(monkeypatch):
    token = auth.issue_token(ANN)
    monkeypatch.setattr(time, "time", lambda: 10**12)
    with pytest.raises(Unauthorized, match="expired"):
        auth.read_token(token)


def test_passwords_are_salted_and_checked():
    stored = auth.hash_password("s3cret")
    assert stored != auth.hash_password("s3cret")
    assert auth._password_matches("s3cret", stored)
    assert not auth._password_matches("wrong", stored)
