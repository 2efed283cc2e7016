"""placelab's domain, in pure Python: no Django import anywhere below this package."""

import importlib
import sys


def _import_igraph_without_plotting() -> None:
    """Import igraph without the cairo binding it loads at import for plotting, which placelab
    never uses: about 0.1 s off the start of every command. The binding stays importable later
    (CairoSVG draws the report's map images with it)."""
    if "igraph" in sys.modules:
        return
    hidden = [name for name in ("cairo", "cairocffi") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # importing it now fails at once
    try:
        importlib.import_module("igraph")
    finally:
        for name in hidden:
            del sys.modules[name]


_import_igraph_without_plotting()
