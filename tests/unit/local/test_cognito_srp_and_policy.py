"""The local Cognito's SRP server maths against pycognito's client (the maths of
amazon-cognito-identity-js), and Cognito's password rules (infra/local/cognito_srp.py,
cognito_pool.py)."""

from __future__ import annotations

import base64
import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycognito import aws_srp

from infra.local import cognito_srp
from infra.local.cognito import strong_password
from infra.shape.cognito_pool import (
    PASSWORD_POLICY,
    TOKEN_VALIDITY,
    password_parameter_error,
    password_violation,
)

pytestmark = pytest.mark.unit

POOL_ID = "eu-west-1_AbCdEf123"
USER_ID = "0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"


class _Client(aws_srp.AWSSRP):  # type: ignore[misc]
    def __init__(self, password: str) -> None:
        super().__init__("user", password, POOL_ID, "client", client=object())


def client_key(password: str, salt: str, server: cognito_srp.ServerValues) -> tuple[int, bytes]:
    client = _Client(password)
    key = client.get_password_authentication_key(USER_ID, password, server.big_b, salt)
    return client.large_a_value, bytes(key)


def test_the_group_and_multiplier_are_cognito_s() -> None:
    assert int(aws_srp.N_HEX, 16) == cognito_srp.N
    assert cognito_srp.N.bit_length() == 3072
    assert int(aws_srp.hex_hash("00" + aws_srp.N_HEX + "0" + aws_srp.G_HEX), 16) == cognito_srp.K


@settings(max_examples=10, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_server_and_client_derive_the_same_key_only_from_the_same_password(password: str) -> None:
    salt = cognito_srp.random_salt()
    verifier = cognito_srp.verifier(cognito_srp.password_x(POOL_ID, USER_ID, password, salt))
    server = cognito_srp.ServerValues.create(verifier)

    big_a, key = client_key(password, salt, server)
    _, other_key = client_key(password + "x", salt, server)

    assert cognito_srp.session_key(big_a, server, verifier) == key
    assert cognito_srp.session_key(big_a, server, verifier) != other_key


def test_the_proof_is_the_hmac_the_client_signs() -> None:
    password, salt = strong_password(), cognito_srp.random_salt()
    verifier = cognito_srp.verifier(cognito_srp.password_x(POOL_ID, USER_ID, password, salt))
    server = cognito_srp.ServerValues.create(verifier)
    client = _Client(password)
    secret_block = base64.b64encode(secrets.token_bytes(64)).decode()
    parameters = {
        "USER_ID_FOR_SRP": USER_ID,
        "SALT": salt,
        "SRP_B": f"{server.big_b:x}",
        "SECRET_BLOCK": secret_block,
    }

    answer = client.process_challenge(parameters, {"USERNAME": "user"})

    key = cognito_srp.session_key(client.large_a_value, server, verifier)
    assert key is not None
    expected = cognito_srp.proof(key, POOL_ID, USER_ID, secret_block, answer["TIMESTAMP"])
    assert cognito_srp.proof_matches(answer["PASSWORD_CLAIM_SIGNATURE"], expected)
    assert not cognito_srp.proof_matches(answer["PASSWORD_CLAIM_SIGNATURE"], expected[::-1])
    assert not cognito_srp.proof_matches("not base64!", expected)
    other_time = cognito_srp.proof(
        key, POOL_ID, USER_ID, secret_block, "Mon Jan 1 00:00:00 UTC 2024"
    )
    assert not cognito_srp.proof_matches(answer["PASSWORD_CLAIM_SIGNATURE"], other_time)


@settings(max_examples=200)
@given(st.binary(min_size=1, max_size=64))
def test_a_salt_reads_the_same_as_text_and_as_a_number(seed: bytes) -> None:
    """pycognito pads SALT as text, the JS SDK as a number: both must hash the same."""
    salt = cognito_srp.salt_from(seed)

    assert len(salt) == 32
    assert salt[0] in "1234567"
    assert aws_srp.pad_hex(salt) == aws_srp.pad_hex(int(salt, 16)) == salt


@pytest.mark.parametrize("srp_a", ["0", aws_srp.N_HEX, f"{2 * cognito_srp.N:x}", "xyz", ""])
def test_an_a_that_breaks_srp_is_refused(srp_a: str) -> None:
    assert cognito_srp.client_public_value(srp_a) is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Aa1!aaaaaaaaa", "Password not long enough"),
        ("Aa!aaaaaaaaaaaaa", "Password must have numeric characters"),
        ("Aa1aaaaaaaaaaaaa", "Password must have symbol characters"),
        ("aa1!aaaaaaaaaaaa", "Password must have uppercase characters"),
        ("AA1!AAAAAAAAAAAA", "Password must have lowercase characters"),
        ("ÄÖ1!ääääääääääää", "Password must have uppercase characters"),
        ("Aa\u0661!aaaaaaaaaaaa", "Password must have numeric characters"),  # Arabic-Indic 1
    ],
)
def test_the_policy_speaks_cognito_s_words(password: str, reason: str) -> None:
    violation = password_violation(PASSWORD_POLICY.as_cognito(), password)

    assert violation == f"Password did not conform with policy: {reason}"


@pytest.mark.parametrize("symbol", [*"^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-", " "])
def test_every_cognito_symbol_counts(symbol: str) -> None:
    assert password_violation(PASSWORD_POLICY.as_cognito(), f"Aa1aaaaa{symbol}aaaaaa") is None


def test_request_validation_refuses_edges_spaces_and_length() -> None:
    assert password_parameter_error(" Aa1!aaaaaaaaaaa")
    assert password_parameter_error("Aa1!aaaaaaaaaaa\t")
    assert password_parameter_error("Aa1!" * 65)
    assert password_parameter_error("Aa1! aaaaaaaaaaa") is None


def test_one_declaration_shapes_the_pool_and_the_client() -> None:
    assert PASSWORD_POLICY.as_cognito() == {
        "MinimumLength": 14,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 3,
    }
    assert TOKEN_VALIDITY.as_cognito()["AccessTokenValidity"] == 15
    assert TOKEN_VALIDITY.as_cognito()["TokenValidityUnits"]["AccessToken"] == "minutes"
    assert password_violation(PASSWORD_POLICY.as_cognito(), strong_password()) is None


def test_generated_passwords_are_safe_as_a_command_line_argument() -> None:
    """`python -m infra.local.login USER PASSWORD` read a password like `-+f1...` as an option."""
    passwords = [strong_password() for _ in range(500)]
    assert all(p[0].isalpha() and len(p) == 20 for p in passwords)
    assert all(password_violation(PASSWORD_POLICY.as_cognito(), p) is None for p in passwords)
