"""Authoring: the kaart as people read and write it.

* :func:`render_html`: the regiekaart as one self-contained page, in print one A3 landscape sheet
  (levels as columns, role holders, when to scale up and down in words, the actions with what sets
  them off), every condition a sentence generated from the rule itself; ``reference=True`` the
  reference document with the tables; :func:`render_markdown`: the reference content as markdown;
  :func:`render_decision_html`: one decided case;
* :func:`explain`: a decision in words, as ``ave-rules evaluate`` prints it;
* :func:`actielijst`: what a casusoverleg circulates after a decision (the regie, the actions with
  their due dates, the next evaluatiemoment; no case fact), as JSON, text
  (:func:`actielijst_text`) or an A4 page (:func:`render_actielijst_html`);
* :func:`sentence`: one condition as a sentence, in the language of the messages; with
  :func:`kaart_words`, in the kaart's own words where it has them (the printed regiekaart's wording);
* :func:`new_kaart`: the YAML text of a new kaart for a gemeente, valid as it is
  (``ave-rules new``), with :func:`kaart_id_for` and :func:`check_gemeente` for its arguments.
"""

from ._actielijst import Actielijst, ActielijstItem, actielijst, actielijst_text, render_actielijst_html
from ._explain import explain
from ._render import render_decision_html, render_html, render_markdown
from ._scaffold import SCHEMA_PATH as SCHEMA_PATH
from ._scaffold import check_gemeente, kaart_id_for, new_kaart
from ._wording import kaart_words, sentence

__all__ = [
    "Actielijst",
    "ActielijstItem",
    "actielijst",
    "actielijst_text",
    "check_gemeente",
    "explain",
    "kaart_id_for",
    "kaart_words",
    "new_kaart",
    "render_actielijst_html",
    "render_decision_html",
    "render_html",
    "render_markdown",
    "sentence",
]
