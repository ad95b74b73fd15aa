"""Testing: regiekaarten in a gemeente's own test suite and CI.

* :mod:`ave_rules.testing.pytest_plugin`: the pytest plugin (entry point ``ave_rules``); with
  ``ave_rules_paths`` set, every kaart and scenario file there becomes test items;
* :mod:`ave_rules.testing.strategies`: Hypothesis strategies for kaart documents and case facts
  (needs the ``test`` extra).

Neither is imported here: the plugin is loaded by pytest in every run and must stay light, and
the strategies need Hypothesis. Running a kaart's scenarios is :func:`ave_rules.engine.run_scenarios`;
loading a scenario file is :func:`ave_rules.load_scenarios`.
"""
