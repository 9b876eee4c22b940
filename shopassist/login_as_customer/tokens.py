"""One-time login tokens: 256 random bits, shown once, stored only as a SHA-256 hash."""

import hashlib
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
