"""Loaded before Django: the tests' search index lives in a directory of their own, removed at
the end of the run."""

import atexit
import os
import shutil
import tempfile

INDEX = tempfile.mkdtemp(prefix="oscar-shop-index-")
os.environ["OSCAR_SHOP_INDEX"] = INDEX
atexit.register(shutil.rmtree, INDEX, ignore_errors=True)

# Playwright's synchronous API runs an event loop in the test's thread; the tests read the
# database between its calls, as Django's own live-server tests with Playwright do.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
