"""Passwords: what a new one must be, and the same work for an address without an account.

A new password must have MIN_PASSWORD_LENGTH to MAX_PASSWORD_LENGTH characters, must not be
the public demo password, nor a common password with digits or signs around it
(common_passwords.txt), and zxcvbn must rate it hard to guess, knowing the person's email
address and names and the words of this site.
"""

import re
import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from engage.core.commands import DEMO_PASSWORD

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# zxcvbn's time grows steeply with the length (200 random characters: ~11 s, 64: <0.1 s):
# only the start of a longer password is rated. If the start is hard to guess, so is the
# whole.
RATED_LENGTH = 64
# zxcvbn's score 3: at least 10^8 guesses ("safely unguessable" against online guessing,
# which the rate limits slow further, and some protection if the hashes leak).
MIN_SCORE = 3
# What someone guessing a password on this site tries first, besides the person's own names.
SITE_WORDS = ("engage", "cancer", "cancers", "sante", "santé", "patient", "patiente",
              "patients", "recherche", "iledefrance", "idf", "paris", "motdepasse",
              "password", DEMO_PASSWORD)
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
_AROUND_THE_CORE = string.digits + string.punctuation + string.whitespace

TOO_SHORT = _l("Your password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
TOO_LONG = _l("Your password can have at most %(max)d characters.", max=MAX_PASSWORD_LENGTH)
TOO_EASY = _l("This password is too easy to guess: use a longer phrase of several unrelated "
              "words.")
PUBLIC = _l("This is the password of the public demonstration: please choose your own.")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _core(password: str) -> str:
    """"Soleil2024!" -> "soleil": the word a common password is built on."""
    return password.lower().strip(_AROUND_THE_CORE)


def personal_words(*texts: str | None) -> list[str]:
    """A person's email address and names, whole and word by word: guessers try them."""
    words: list[str] = []
    for text in texts:
        if text:
            lowered = text.strip().lower()
            words.append(lowered)
            words.extend(word for word in re.split(r"[\W_]+", lowered) if len(word) >= 3)
    return words


def problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why `password` cannot be chosen (a translated message), or None if it can."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(TOO_SHORT)
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(TOO_LONG)
    if password.strip().lower() == DEMO_PASSWORD:
        return str(PUBLIC)
    core = _core(password)
    if not core or core in common_passwords():
        return str(TOO_EASY)
    rating = zxcvbn(password[:RATED_LENGTH], user_inputs=[*SITE_WORDS, *personal],
                    max_length=RATED_LENGTH)
    if rating["score"] < MIN_SCORE:
        return str(TOO_EASY)
    return None


def hash_password(password: str) -> str:
    """The stored form of `password`, with the configured method (scrypt in production)."""
    method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def check_without_account(password: str) -> bool:
    """What checking a password costs, for an address that has no account: the answer
    then takes as long as for a wrong password (always False)."""
    dummy = _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    check_password_hash(dummy, password)
    return False
