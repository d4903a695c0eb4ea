"""A cheap Argon2 for the test run (same algorithm and format, tiny cost): production keeps
Django's Argon2 defaults (settings.PASSWORD_HASHERS); tests would spend most of their time
hashing otherwise."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
