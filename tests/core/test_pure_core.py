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


def test_igraph_loads_without_its_plotting_and_cairo_stays_usable():
    # placelab.core keeps igraph's plotting binding out of every command's start (0.1 s),
    # and CairoSVG, which draws the report's map images, still imports it afterwards.
    code = (
        "import sys, placelab.cli\n"
        "print('igraph' in sys.modules, 'cairocffi' in sys.modules)\n"
        "import cairosvg\n"
        'png = cairosvg.svg2png(bytestring=b\'<svg xmlns="http://www.w3.org/2000/svg" '
        'width="4" height="4"><rect width="4" height="4"/></svg>\')\n'
        "print(png[:4] == b'\\x89PNG')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False", "True"]
