"""Writes for cases (core.py) and referrals (referrals.py), imported from here."""

from ventanilla.cases.services import core, referrals  # noqa: F401 - submodules
from ventanilla.cases.services.core import *  # noqa: F403
from ventanilla.cases.services.core import (  # noqa: F401 - used by tests and views
    _lock,
    _open_case_of,
)
from ventanilla.cases.services.referrals import *  # noqa: F403
