from tests.evaluations.conftest import vehicles  # noqa: F401  (synthetic enrolled vehicles)
