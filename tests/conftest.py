"""Hypothesis profiles for this suite.

``dev`` (the default) keeps the README's test command quick while working; ``ci`` is thorough and
is what ``.ci/run`` selects (``AVE_RULES_TEST_PROFILE=ci``). Each property test says how many
examples it needs in each (``budget.examples``): the paths that matter most (the engines agree,
hostile input is refused, facts are validated) check as much in ``dev`` as they ever did, broad
properties whose examples are expensive to generate check fewer, and ``ci`` checks more of all.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile("ci", parent=settings.get_profile("dev"), print_blob=True)
settings.load_profile(os.environ.get("AVE_RULES_TEST_PROFILE", "dev"))
