"""What an account's email address and password must be, with messages that say what is wrong.

Email: one address, name@domain.tld, no spaces or control characters (SQLModel ignored the old
Field(regex=...) on the create model, so 'noatsign' and '' were accepted). Password (NIST SP
800-63B style: length and a block list, no composition rules): 10 to 256 characters, at least 5
different characters, not one of the most common passwords, not the account's own email.
"""

from __future__ import annotations

import re

MIN_PASSWORD = 10
MAX_PASSWORD = 256
_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]{1,64}$")
_LABEL = re.compile(r"^(?!-)[^\s@\"(),:;<>\[\\\]._/]{1,63}(?<!-)$")

# The most used passwords of at least 10 characters in public breach lists (lower case).
COMMON = frozenset("""
1234567890 0123456789 0987654321 1111111111 1234512345 1q2w3e4r5t 1qaz2wsx3edc qwertyuiop
qwertyuiop1 asdfghjkl1 zxcvbnm123 password12 password123 password1234 passw0rd12 p@ssw0rd12
p@ssword123 iloveyou12 iloveyou123 princess12 sunshine12 football12 baseball12 starwars12
qwerty1234 qwerty12345 qwerty123456 abc1234567 abcdefghij abcd123456 a123456789 123456789a
1234567890a 12345678910 123123123123 123qweasdzxc qweasdzxc123 letmein123 welcome123
welcome1234 changeme123 administrator admin12345 admin123456 trustno1234 monkey1234
dragon1234 master1234 superman12 batman1234 michael123 jennifer12 computer12 whatever12
internet12 1q2w3e4r5t6y zaq12wsx3edc mypassword mypassword1 newpassword password01
passwordpassword qwertyqwerty 11111111111 00000000000 999999999999 987654321a
""".split())  # noqa: SIM905 (a word list reads better as text)


def check_email(value: str) -> str:
    """The address lower-cased and stripped, or ValueError naming what is wrong."""
    email = value.strip().lower()
    if not email:
        raise ValueError("is empty; write an address like name@example.org")
    if len(email) > 254:
        raise ValueError(f"has {len(email)} characters; at most 254 are allowed")
    if email.count("@") != 1:
        raise ValueError(f"{_show(email)} must contain exactly one @, as in name@example.org")
    local, domain = email.split("@")
    if not _LOCAL.match(local):
        raise ValueError(f"{_show(email)}: the part before @ must be 1-64 characters without "
                         "spaces, quotes or brackets")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{_show(email)}: the part after @ must be a domain name such as "
                         "example.org (dot-separated, no spaces, no empty parts)")
    if len(labels[-1]) < 2 or labels[-1].isdigit():
        raise ValueError(f"{_show(email)}: the domain must end in a top-level domain such as "
                         ".org")
    return email


def check_password(password: str, email: str | None = None) -> str:
    """The password unchanged, or ValueError naming the rule it breaks."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"has {len(password)} characters; use at least {MIN_PASSWORD} "
                         "(a few words make a good one)")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"has {len(password)} characters; at most {MAX_PASSWORD} are allowed")
    if len(set(password)) < 5:
        raise ValueError("uses fewer than 5 different characters; choose a less repetitive one")
    low = password.lower()
    if low in COMMON:
        raise ValueError("is one of the most common passwords; choose another")
    if email and low in {email.lower(), email.lower().split("@")[0]}:
        raise ValueError("must not be the account's email address")
    return password


def _show(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")
