"""The server side of Cognito's SRP-6a sign-in (USER_SRP_AUTH + PASSWORD_VERIFIER).

Cognito's variant, as its clients (amazon-cognito-identity-js, Amplify, pycognito) compute it:
SHA-256, the 3072-bit group of RFC 5054 with g = 2, k = H(N | g), x = H(salt | H(pool name |
user id | ":" | password)), u = H(A | B), every number hex-encoded with the sign padding
`pad_hex` gives, the session key HKDF(S, salt=u, info="Caldera Derived Key") cut to 16 bytes,
and the proof HMAC-SHA256(key, pool name | user id | secret block | timestamp) in base64.
"pool name" is the part of the pool id after the underscore.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E34"
    "04DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6"
    "F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A6916"
    "3FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C"
    "32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA95"
    "6AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA7157"
    "5D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D876"
    "02733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E"
    "4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO = b"Caldera Derived Key"
SALT_BYTES = 16
SECRET_BITS = 1024
"""The size of the server's secret b, as Cognito's JS client draws its a (128 bytes)."""


def pad_hex(value: int | str) -> str:
    """Even-length hex with a leading 00 when the top bit is set (a positive two's
    complement number), as every Cognito client hashes numbers."""
    text = value if isinstance(value, str) else f"{value:x}"
    if len(text) % 2:
        return "0" + text
    return "00" + text if text[0] in "89abcdefABCDEF" else text


def hash_hex(hex_text: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


K = int(hash_hex(pad_hex(N) + pad_hex(G)), 16)


def pool_name(user_pool_id: str) -> str:
    return user_pool_id.split("_", 1)[1]


def password_x(user_pool_id: str, user_id: str, password: str, salt_hex: str) -> int:
    inner = hashlib.sha256(f"{pool_name(user_pool_id)}{user_id}:{password}".encode()).hexdigest()
    return int(hash_hex(pad_hex(salt_hex) + inner), 16)


def verifier(x: int) -> int:
    return pow(G, x, N)


def salt_from(seed: bytes) -> str:
    """A 16-byte salt as hex whose first digit is 1-7.

    Clients parse SALT either as text (pycognito) or as a number (the JS SDK, which drops
    leading zeros and pads a set top bit): only such a salt hashes the same in both.
    """
    digest = bytearray(hashlib.sha256(seed).digest()[:SALT_BYTES])
    digest[0] = 0x10 + digest[0] % 0x70
    return digest.hex()


def random_salt() -> str:
    return salt_from(secrets.token_bytes(32))


@dataclass(frozen=True)
class ServerValues:
    """The server's secret b and public B = k*v + g^b (mod N) for one sign-in."""

    b: int
    big_b: int

    @classmethod
    def create(cls, password_verifier: int) -> ServerValues:
        while True:
            b = secrets.randbits(SECRET_BITS) % N
            big_b = (K * password_verifier + pow(G, b, N)) % N
            if b and big_b:
                return cls(b, big_b)


def client_public_value(srp_a_hex: str) -> int | None:
    """The client's A, or None when it is not a number or is 0 mod N (refused by SRP)."""
    try:
        big_a = int(srp_a_hex, 16)
    except ValueError:
        return None
    return big_a if big_a % N else None


def session_key(big_a: int, server: ServerValues, password_verifier: int) -> bytes | None:
    """HKDF(S, u) as Cognito derives it; None when u = 0 (a refused exchange)."""
    u = int(hash_hex(pad_hex(big_a) + pad_hex(server.big_b)), 16)
    if u == 0:
        return None
    s = pow(big_a * pow(password_verifier, u, N), server.b, N)
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), hashlib.sha256).digest()
    return hmac.new(prk, INFO + b"\x01", hashlib.sha256).digest()[:16]


def proof(key: bytes, user_pool_id: str, user_id: str, secret_block: str, timestamp: str) -> bytes:
    message = (
        pool_name(user_pool_id).encode()
        + user_id.encode()
        + base64.b64decode(secret_block)
        + timestamp.encode()
    )
    return hmac.new(key, message, hashlib.sha256).digest()


def proof_matches(claimed_signature: str, expected: bytes) -> bool:
    try:
        claimed = base64.b64decode(claimed_signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(claimed, expected)
