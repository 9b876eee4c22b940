"""One-time login tokens: 256 random bits, shown once, stored only as a SHA-256 hash.

A token minted in a browser is also bound to that browser by a second secret, the *binding*,
which travels only in a cookie the start response sets (``binding_cookie``); the token stores
the binding's hash.
"""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # len(secrets.token_urlsafe(32))
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(value) -> bool:
    """Shape check before any database lookup: a str of the exact length and alphabet."""
    return isinstance(value, str) and len(value) == TOKEN_LENGTH and set(value) <= _ALPHABET


def hash_session_key(session_key: str | None) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""


# Browser bindings have the shape of tokens: the same generator, hash and shape check.
new_binding = new_token


def hash_binding(binding: str) -> str:
    """The stored form of a binding secret; "" for no binding (a headless start)."""
    return hash_token(binding) if binding else ""


def binding_matches(stored_hash: str, presented) -> bool:
    """Whether one of the binding secrets a browser presented is the one the token was minted
    with. A token without a binding (minted by the API) never matches a browser."""
    if not stored_hash:
        return False
    matched = False
    for value in presented:
        if looks_like_token(value):
            # Compare every candidate in constant time, and do not stop at the first match.
            matched |= hmac.compare_digest(hash_token(value), stored_hash)
    return matched
