"""Settings for the test suite: production settings with the few values tests cannot supply.

Environment defaults are set before importing the real settings, so tests exercise the same
settings code as production; DATABASE_URL still chooses SQLite or PostgreSQL.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "cheepao-tests-only-not-secret")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("CHEEPAO_HTTPS", "0")
# Stored files and job progress in a directory of the test run, never the repository's var/;
# set in the environment, so processes the tests start (a worker, gunicorn) share them.
for _name, _prefix in (("CHEEPAO_MEDIA_ROOT", "media"), ("CHEEPAO_JOBS_PROGRESS_DIR", "progress")):
    if not os.environ.get(_name):
        os.environ[_name] = tempfile.mkdtemp(prefix=f"cheepao-test-{_prefix}-")
        atexit.register(shutil.rmtree, os.environ[_name], ignore_errors=True)

from cheepao.config.settings import *  # noqa: E402, F403

# Tests do not run collectstatic; hashed manifest names are a deployment concern.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files come from the app folders through the finders; there is no collected root.
STATIC_ROOT = None
# Background tasks run at once, inside the request or service that starts them, so a test
# sees the finished job (ADR 0021). CHEEPAO_TASKS=database keeps the real backend, for the
# tests that run a worker process.
if os.environ.get("CHEEPAO_TASKS") != "database":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
