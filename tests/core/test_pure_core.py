"""placelab.core is pure Python: importing all of it never loads Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import placelab.core


def test_importing_every_core_module_loads_no_django():
    modules = [m.name for m in pkgutil.walk_packages(placelab.core.__path__, "placelab.core.")]
    assert "placelab.core.networks.centrality" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
