"""placelab: see and grow a locality's capacity for social innovation."""

from placelab.core.errors import InputError, PlacelabError
from placelab.core.networks.analysis import Parameters
from placelab.core.study import Study, load, read_study

__version__ = "0.1.0"
__all__ = [
    "InputError",
    "Parameters",
    "PlacelabError",
    "Study",
    "load",
    "read_study",
    "__version__",
]
