# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures for the black-box tests: a server per test module."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tandem_server import Server  # noqa: E402


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    code = s.close()
    assert code == 0, "tandem exited with %r; its log:\n%s" % (code, "".join(s.log[-40:]))
