"""Settings for the test suite: production settings with the few values tests cannot supply.

Environment defaults are set before importing the real settings, so tests exercise the same
settings code as production; DATABASE_URL still chooses SQLite or PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "cheepao-tests-only-not-secret")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("CHEEPAO_HTTPS", "0")

from cheepao.config.settings import *  # noqa: F403

# Tests do not run collectstatic; hashed manifest names are a deployment concern.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files come from the app folders through the finders; there is no collected root.
STATIC_ROOT = None
