"""The regiekaart as people read it: the one-sheet kaart, the reference document, markdown, or a decided case.

The sheet (the default of :func:`render_html`) is what goes on the table: the levels as columns from
low to high, the four role holders right under the headings, then the starting situation, when to
scale up (in the kaart's own words) and down, the actions with what sets them off, the protocols,
the gegevensdeling (one row across the levels, a block per level that states it); changed and new
items as numbered footnotes. The reference document (``reference=True``) and the
markdown hold everything, with rule ids, and mark every inherited, changed or new item in words.
Every condition is a sentence generated from the rule itself (:mod:`._wording`); nothing is written twice.

Everything from the kaart is untrusted text and escaped. The library's own labels follow the
message language; the kaart's text is Dutch, so the document stays ``lang="nl"`` and English labels
are marked ``lang="en"``.
"""

from __future__ import annotations

import colorsys
import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .. import _terms as t
from .._messages import Params, get_language, render
from ..engine import FactChecker, alternatives_held, complete, current_level, transition
from ..kaart import (
    Action,
    ActionSpec,
    AllOf,
    AnyOf,
    Condition,
    Decision,
    Exclusive,
    Independent,
    Level,
    LevelSharing,
    LevelTest,
    LowerBound,
    Monotone,
    Not,
    Origin,
    Property,
    Reference,
    Regiekaart,
    RoleHolder,
    RoleOnlyIf,
    Rule,
    SetFact,
    Share,
    ShareSpec,
    Term,
    TransitionTest,
    fact_values,
    holds_on_scale,
)
from ._wording import Words, joined, kaart_words, listed, quoted, sentence

# --- colours: (background, text) of a level's heading, and the light tint of its cells ---------
# Text colours are chosen for WCAG 2.1 AA contrast (4.5:1); tests/test_render.py computes every pair.
LEVEL_COLOURS: dict[str, tuple[str, str, str]] = {
    "groen": ("#2e7d32", "#ffffff", "#e8f5e9"),
    "lichtgroen": ("#9ccc65", "#000000", "#f1f8e9"),
    "geel": ("#fdd835", "#000000", "#fffde7"),
    "oranje": ("#ef6c00", "#000000", "#fff3e0"),
    "rood": ("#c62828", "#ffffff", "#ffebee"),
    "donkerrood": ("#7f0000", "#ffffff", "#f9e3e3"),
    "paars": ("#6a1b9a", "#ffffff", "#f3e5f5"),
    "blauw": ("#1565c0", "#ffffff", "#e3f2fd"),
    "grijs": ("#616161", "#ffffff", "#f5f5f5"),
}
TEXT = "#1a1a1a"
PAGE = "#ffffff"
MUTED = "#4a4a4a"
LINK = "#0b4fa8"
MARKS = {  # origin kind -> (background, text)
    "inherited": ("#e6e6e6", "#1a1a1a"),
    "overridden": ("#fff0b3", "#3d2b00"),
    "new": ("#d6e9ff", "#002a55"),
    "held": ("#d7f0dc", "#0b3d17"),  # an alternative that held, on the decision page
    "not-held": ("#ffffff", "#4a4a4a"),
}


def _css(paper: str = "A3 landscape") -> str:
    levels = "\n".join(
        f".kleur-{name} {{ background-color: {heading}; color: {text}; }}\n"
        f"td.tint-{name} {{ background-color: {tint}; color: {TEXT}; }}"
        for name, (heading, text, tint) in LEVEL_COLOURS.items()
    )
    marks = "\n".join(
        f".mark-{kind} {{ background-color: {background}; color: {text}; }}"
        for kind, (background, text) in MARKS.items()
    )
    return f"""
@page {{ size: {paper}; margin: 8mm; }}
* {{ box-sizing: border-box; }}
body {{ background-color: {PAGE}; color: {TEXT}; font-family: "DejaVu Sans", Arial, sans-serif;
  font-size: 14px; line-height: 1.35; margin: 1rem; }}
a {{ color: {LINK}; }}
h1 {{ font-size: 1.6rem; margin: 0 0 .4rem; }}
h2 {{ font-size: 1.25rem; margin: 1.4rem 0 .4rem; }}
caption {{ text-align: left; font-weight: bold; padding: .3rem 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #8a8a8a; padding: .35rem .45rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }}
td > p:first-child, td > ul:first-child, td > .rule:first-child > p:first-child {{ margin-top: 0; }}
td p {{ margin: 0 0 .3rem; }}
td ul {{ margin: 0; }}
table.ladder {{ table-layout: fixed; }}
table.ladder th[scope=row] {{ width: 9rem; }}
th.level-head {{ font-size: 1.1em; }}
th.level-head .sub {{ display: block; font-weight: normal; font-size: .85em; }}
.meta {{ display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; margin: .3rem 0 .8rem; }}
.meta div {{ display: flex; gap: .4rem; }}
.meta dt {{ font-weight: bold; }}
.meta dd {{ margin: 0; }}
.toelichting {{ color: {MUTED}; font-size: .88em; margin: .15rem 0 0; }}
.rule {{ margin: 0 0 .55rem; }}
.stap {{ font-style: italic; }}
.rule p, .rule ul {{ margin: .1rem 0; }}
ul, ol {{ padding-left: 1.2rem; }}
.mark {{ display: inline-block; border: 1px solid #6b6b6b; border-radius: 3px; padding: 0 .3rem;
  font-size: .8em; font-weight: normal; }}
.decided {{ font-weight: bold; }}
dl.facts {{ column-count: 2; column-gap: 1.5rem; margin: .3rem 0; }}
dl.facts div {{ break-inside: avoid; display: flex; gap: .6rem; justify-content: space-between;
  margin: 0 0 .2rem; }}
dl.facts dd {{ margin: 0; font-weight: bold; text-align: right; }}
{levels}
{marks}
.kleur-groen, .kleur-lichtgroen, .kleur-geel, .kleur-oranje, .kleur-rood, .kleur-donkerrood,
.kleur-paars, .kleur-blauw, .kleur-grijs, .mark, td {{ -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }}
@media print {{
  body {{ font-size: 8pt; margin: 0; }}
  h1 {{ font-size: 14pt; }}
  h2 {{ font-size: 11pt; break-after: avoid; }}
  table.ladder th[scope=row] {{ width: 28mm; }}
  th, td {{ padding: .12rem .35rem; }}
  dl.facts .toelichting {{ display: none; }}
  p {{ margin: .3rem 0; }}
  h2 {{ margin: .5rem 0 .15rem; }}
  ul, ol {{ margin: .15rem 0; }}
  .meta {{ margin: .15rem 0 .3rem; }}
  caption {{ padding: .1rem 0; }}
  tr {{ break-inside: avoid; }}
  a {{ color: {TEXT}; text-decoration: none; }}
}}
""".strip()


# --- the sheet's styles -----------------------------------------------------------------------

_REFERENCE_CSS = "th, td { overflow-wrap: anywhere; }"
_BLACK, _WHITE = "#000000", "#ffffff"


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _shade(colour: str, luminance: float) -> str:
    """``colour`` with its hue and saturation, made as light as ``luminance`` (bisection on HSL lightness)."""
    hue, _, saturation = colorsys.rgb_to_hls(*(int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)))
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        red, green, blue = colorsys.hls_to_rgb(hue, middle, saturation)
        candidate = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        low, high = (middle, high) if _relative_luminance(candidate) < luminance else (low, middle)
    red, green, blue = colorsys.hls_to_rgb(hue, (low + high) / 2, saturation)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def level_headings(kaart: Regiekaart) -> list[tuple[str, str]]:
    """Per level, in ladder order, the (background, text) of its heading on the sheet: the level's
    colour, shaded from light to dark up the ladder (CIE lightness 88 down to 22 in even steps), so
    that in black and white the order still shows; black or white text, whichever has AA contrast."""
    count = len(kaart.levels)
    headings = []
    for rank, level in enumerate(kaart.levels):
        lightness = 55.0 if count == 1 else 88 - 66 * rank / (count - 1)
        background = _shade(LEVEL_COLOURS[level.colour][0], ((lightness + 16) / 116) ** 3)
        text = _BLACK if _relative_luminance(background) > 0.18 else _WHITE
        headings.append((background, text))
    return headings


def _sheet_css(kaart: Regiekaart, paper: str) -> str:
    steps = "\n".join(
        f"th.trede-{rank} {{ background-color: {background}; color: {text}; }}\n"
        f"div.deling.trede-{rank} {{ border-left: .3rem solid {background}; }}"
        for rank, (background, text) in enumerate(level_headings(kaart))
    )
    print_size = "7pt"
    # A narrow screen stacks the levels: each level's heading and cells together, in ladder order.
    orders = "\n".join(f'  table.sheet [data-trede="{rank}"] {{ order: {rank}; }}' for rank in range(len(kaart.levels)))
    return f"""
body {{ hyphens: auto; }}
.kop {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1.2rem; }}
.kop h1 {{ margin: 0; }}
.kop .meta {{ margin: .2rem 0 .4rem; gap: 0 1rem; }}
table.sheet caption {{ font-weight: normal; font-size: .85em; color: {MUTED}; }}
table.sheet th[scope=row] {{ width: 8.5rem; hyphens: manual; overflow-wrap: normal; }}
table.sheet thead th {{ position: sticky; top: 0; z-index: 1; }}
table.sheet th.hoek {{ background-color: {PAGE}; color: {TEXT}; }}
table.sheet .rule + .rule {{ border-top: 1px dotted #8a8a8a; padding-top: .15rem; }}
table.sheet .rule {{ margin: 0 0 .2rem; }}
table.sheet ul {{ padding-left: 1rem; }}
.aanleiding {{ font-style: italic; }}
td.elk-niveau {{ background-color: #f5f5f5; color: {TEXT}; }}
td.elk-niveau ul.acties {{ column-count: 2; column-gap: 2rem; }}
td.elk-niveau li {{ break-inside: avoid; }}
td.gegevensdeling {{ background-color: #f5f5f5; color: {TEXT}; }}
div.delingen {{ column-count: 2; column-gap: 2rem; }}
div.deling {{ padding-left: .4rem; margin: 0 0 .2rem; }}
div.deling ul.delen {{ margin: 0 0 .2rem; }}
p.deling-geen {{ margin: 0; }}
sup.noot {{ font-size: .75em; line-height: 0; }}
.voet {{ font-size: .85em; margin-top: .3rem; }}
.voet p {{ margin: .1rem 0; }}
ol.voetnoten {{ display: flex; flex-wrap: wrap; gap: 0 1.4rem; margin: .1rem 0; padding-left: 1.2rem; }}
th.level-head, td.elk-niveau, td.gegevensdeling, div.deling {{ -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }}
{steps}
@media screen and (max-width: 900px) {{
  body {{ margin: .5rem; }}
  table.sheet {{ display: flex; flex-direction: column; }}
  table.sheet caption {{ display: block; order: -1; }}
  table.sheet thead, table.sheet tbody, table.sheet tr {{ display: contents; }}
  table.sheet th[scope=row], table.sheet th.hoek {{ display: none; }}
  table.sheet thead th {{ position: sticky; top: 0; margin-top: .6rem; }}
  table.sheet td::before {{ content: attr(data-label); display: block; font-weight: bold; }}
  table.sheet td {{ order: {len(kaart.levels)}; }}
  div.delingen {{ column-count: 1; }}
{orders}
}}
@media print {{
  body {{ font-size: {print_size}; line-height: 1.15; }}
  h1 {{ font-size: {"13pt" if paper == "A3" else "11pt"}; }}
  table.sheet th[scope=row] {{ width: {"24mm" if paper == "A3" else "21mm"}; }}
  table.sheet {{ table-layout: auto; }}
  table.sheet thead th {{ position: static; }}
  th, td {{ padding: .1rem .3rem; }}
  .voet {{ font-size: {print_size}; }}
  .over {{ column-count: {4 if paper == "A3" else 3}; column-gap: 5mm; font-size: 7pt; }}
  div.delingen {{ column-count: {4 if paper == "A3" else 3}; column-gap: 5mm; }}
  .kop .meta {{ margin: 0 0 .2rem; }}
  table.sheet caption, th.level-head .sub, sup.noot {{ font-size: 7pt; }}
}}
""".strip()


# --- what both formats show --------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A rule's condition as shown: an optional introduction and one sentence per part."""

    intro: str | None
    parts: tuple[str, ...]


def _shown(condition: Condition) -> Shown:
    intro, parts = listed(condition)
    if intro is None:
        return Shown(None, (render("weergave-als", {"voorwaarde": parts[0]}),))
    return Shown(intro, parts)


def proposing(kaart: Regiekaart, level: Level) -> list[Rule]:
    """The rules that propose ``level``."""
    return [rule for rule in kaart.rules if rule.conclusion.level == level.id]


def _at_or_above(kaart: Regiekaart, level: Level) -> list[Rule]:
    rank = kaart.level_ids.index(level.id)
    return [
        rule for rule in kaart.rules if rule.conclusion.level and kaart.level_ids.index(rule.conclusion.level) >= rank
    ]


def _may_hold(condition: Condition, kaart: Regiekaart, level: str) -> bool | None:
    """Whether ``condition`` can hold when ``level`` is decided: False when its level and
    transition tests rule that out, True when they alone make it hold, else None (Kleene logic)."""
    if isinstance(condition, AllOf | AnyOf):
        parts = [
            _may_hold(part, kaart, level) for part in (condition.all if isinstance(condition, AllOf) else condition.any)
        ]
        decisive, other = (False, True) if isinstance(condition, AllOf) else (True, False)
        if decisive in parts:
            return decisive
        return other if all(part is other for part in parts) else None
    if isinstance(condition, Not):
        inner = _may_hold(condition.negated, kaart, level)
        return None if inner is None else not inner
    if isinstance(condition, LevelTest):
        return holds_on_scale(condition.level.comparison, level, condition.level.operand, kaart.level_ids)
    if isinstance(condition, TransitionTest):
        impossible = {"opschalen": kaart.level_ids[0], "afschalen": kaart.level_ids[-1]}
        return False if impossible.get(condition.transition) == level else None
    return None


def actions_on(kaart: Regiekaart, level: Level) -> list[tuple[Rule, list[str]]]:
    """The rules whose actions a case decided at ``level`` can get, each with the action texts
    as far as they are known there (a role on the decided level is filled in)."""
    found = []
    for rule in kaart.rules:
        if rule.conclusion.actions and _may_hold(rule.condition, kaart, level.id) is not False:
            texts = [text for spec in rule.conclusion.actions for text in action_texts(kaart, spec, level)]
            if texts:
                found.append((rule, texts))
    return found


def action_texts(kaart: Regiekaart, spec: ActionSpec, level: Level | None) -> list[str]:
    """The action's text with target and source named; on a known decided ``level`` a role there
    becomes its holders (none: the action drops out), otherwise it is described."""
    targets = _named(kaart, spec.target, level)
    sources = _named(kaart, spec.source, level)
    return [kaart.worded(spec.type, target, source) for source, target in itertools.product(sources, targets)]


def _named(kaart: Regiekaart, target: str | Reference | None, level: Level | None) -> list[str]:
    if target is None:
        return [""]
    if isinstance(target, str):
        return [kaart.name_of(target)]
    if target.level == "nieuw" and level is not None:
        if target.role is None:
            return [kaart.name_of(level.id)]
        holders = level.roles.holders(target.role) or (level.roles.holders(target.fallback) if target.fallback else ())
        return [kaart.name_of(holder) for holder in holders]
    where = render("weergave-doel-nieuw" if target.level == "nieuw" else "weergave-doel-huidig", {})
    if target.role is None:
        return [where]
    params: Params = {"rol": _role(kaart, target.role), "niveau": where}
    if target.fallback:
        return [render("weergave-doel-rol-anders", {**params, "anders": _role(kaart, target.fallback)})]
    return [render("weergave-doel-rol", params)]


def _role(kaart: Regiekaart, role: str) -> str:
    """A role in running text: an AVE role in the library's words, an extra role by its name."""
    if role not in t.ROLES:
        return role_name(kaart, role)
    return render(f"weergave-rol-{role}", {}).lower() if get_language() == "nl" else role.replace("_", " ")


def phase_words(level: Level) -> str:
    """A level's phase and colour under its name; a closing outcome is outside the phases."""
    if level.closing is not None:
        return render("weergave-afsluiting-kleur", {"afsluiting": level.closing, "kleur": level.colour})
    return render("weergave-fase-kleur", {"fase": str(level.phase), "kleur": level.colour})


def role_name(kaart: Regiekaart, role: str) -> str:
    """The name of a role as a heading: an AVE role's in the library's words, an extra role's as
    the kaart writes it (``extra_rollen``)."""
    if role in t.ROLES:
        return render(f"weergave-rol-{role}", {})
    return next((extra.name for extra in kaart.extra_roles if extra.id == role), role)


def _role_label(kaart: Regiekaart, role: str) -> str:
    """A role's name as HTML: the library's words are marked English when they are; an extra
    role's name is the kaart's own (Dutch) text."""
    return _label(f"weergave-rol-{role}") if role in t.ROLES else _e(role_name(kaart, role))


def conclusion_texts(kaart: Regiekaart, rule: Rule) -> list[str]:
    conclusion = rule.conclusion
    texts = []
    if conclusion.level:
        texts.append(render("weergave-dan-niveau", {"niveau": conclusion.level}))
    if conclusion.derive:
        texts.append(render("weergave-dan-afleiden", {"feiten": ", ".join(quoted(d) for d in conclusion.derive)}))
    for spec in conclusion.actions:
        texts.extend(render("weergave-dan-actie", {"actie": text}) for text in action_texts(kaart, spec, None))
    return texts


def origin_label(origin: Origin) -> str | None:
    """The words that mark an item's origin; None in a kaart that extends none."""
    if origin.kind == "own":
        return None
    if origin.kind == "inherited":
        return render("weergave-geerfd", {"basis": origin.base or "?"})
    if origin.kind == "new":
        return render("weergave-nieuw", {})
    return render("weergave-aangepast-velden", {"velden": ", ".join(origin.changed)})


def _property_text(kaart: Regiekaart, item: Property) -> str:
    if isinstance(item, LowerBound):
        condition = render("weergave-als", {"voorwaarde": sentence(item.condition)}).rstrip(".")
        return render("weergave-eigenschap-ondergrens", {"voorwaarde": condition, "niveau": item.level})
    if isinstance(item, Monotone | Independent):
        return render("weergave-eigenschap-feiten", {"feiten": ", ".join(quoted(f) for f in item.facts)})
    if isinstance(item, Exclusive):
        return render("weergave-eigenschap-acties", {"acties": ", ".join(quoted(a) for a in item.action_types)})
    if isinstance(item, RoleHolder | RoleOnlyIf):
        params = {
            "organisatie": kaart.name_of(item.organisation),
            "rol": role_name(kaart, item.role) if item.role not in t.ROLES else item.role.replace("_", " "),
            "voorwaarde": sentence(item.condition),
        }
        if isinstance(item, RoleHolder):
            params["voorwaarde"] = render("weergave-als", {"voorwaarde": params["voorwaarde"]}).rstrip(".")
            return render("weergave-eigenschap-rol", params)
        return render("weergave-eigenschap-rol-alleen-als", params)
    return ""


def _fact_values(kaart: Regiekaart, fact_id: str) -> str:
    fact = kaart.fact_by_id[fact_id]
    values = fact_values(fact, kaart.level_ids)
    return ", ".join(
        render("weergave-ja" if v else "weergave-nee", {}) if isinstance(v, bool) else str(v) for v in values
    )


def _fact_default(kaart: Regiekaart, fact_id: str) -> str:
    fact = kaart.fact_by_id[fact_id]
    if isinstance(fact, SetFact):
        return ", ".join(fact.default) or "[]"
    if isinstance(fact.default, bool):
        return render("weergave-ja" if fact.default else "weergave-nee", {})
    return str(fact.default)


def _deriving(kaart: Regiekaart, derived: str) -> list[Rule]:
    return [rule for rule in kaart.rules if derived in rule.conclusion.derive]


# --- gegevensdeling in words -------------------------------------------------------------------


def _party(kaart: Regiekaart, party: str, *, lower: bool = False) -> str:
    """A party of a share in words: a role by its name (``lower``: in a step of afschaling, its
    holders on the level scaled down to), ``inbrenger`` and ``deelnemers`` in words, an
    organisation by its name."""
    if party in kaart.role_ids:
        return render("weergave-partij-rol-lager", {"rol": _role(kaart, party)}) if lower else _role(kaart, party)
    if party in t.SPECIAL_PARTIES:
        return render(f"weergave-partij-{party}", {})
    return kaart.name_of(party)


def _mid(name: str) -> str:
    """A vocabulary name mid-sentence: a lower-case start, unless the first word is an abbreviation."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _categories(kaart: Regiekaart, ids: Sequence[str]) -> str:
    """Information categories by their names, mid-sentence (``geen`` for none)."""
    names = {item.id: item.name for item in kaart.categories}
    return (
        joined([_mid(names.get(ident, ident)) for ident in ids], "weergave-en") if ids else render("weergave-geen", {})
    )


def _step_name(kaart: Regiekaart, step: str) -> str:
    return next((item.name for item in kaart.process_steps if item.id == step), step)


def _ground_name(kaart: Regiekaart, ground: str) -> str:
    return next((item.name for item in kaart.grounds if item.id == ground), ground)


def _share_words(kaart: Regiekaart, share: ShareSpec, ground: str | None, *, lower: bool) -> str:
    """One share in a line: what, from whom (where the kaart names a sender), with whom, and
    ``ground`` (where given); ``lower``: the step is one of afschaling."""
    recipients = joined([_party(kaart, party, lower=lower) for party in share.recipients], "weergave-en")
    params: Params = {"categorieen": _categories(kaart, share.categories), "met": recipients}
    if share.sender is None:
        text = render("weergave-delen-met", params)
    else:
        text = render("weergave-delen-van-met", {**params, "van": _party(kaart, share.sender, lower=lower)})
    return (
        render("weergave-delen-grondslag", {"delen": text, "grondslag": _ground_name(kaart, ground)})
        if ground
        else text
    )


def _informing_words(moment: str, exceptions: Sequence[str]) -> str:
    when = render(f"weergave-informeren-{moment}", {})
    if not exceptions:
        return when
    return render(
        "weergave-informeren-tenzij", {"moment": when, "uitzonderingen": joined(list(exceptions), "weergave-of")}
    )


@dataclass(frozen=True)
class _SharingShown:
    """A level's gegevensdeling in words, as the sheet, the reference document and the markdown show
    it: (label code, text) pairs before the steps, per step its name and its shares, pairs after."""

    head: tuple[tuple[str, str], ...]
    steps: tuple[tuple[str, tuple[str, ...]], ...]
    tail: tuple[tuple[str, str], ...]


def _sharing_shown(kaart: Regiekaart, sharing: LevelSharing) -> _SharingShown:
    head = [("weergave-verwerkingsverantwoordelijke", _party(kaart, sharing.controller))]
    if sharing.ground:
        head.append(("weergave-grondslag", _ground_name(kaart, sharing.ground)))
    moments = {step.id: step.moment for step in kaart.process_steps}
    steps = tuple(
        (
            _step_name(kaart, step_id),
            tuple(
                # the level's ground is said once, above; a share's own ground with the share
                _share_words(
                    kaart,
                    share,
                    share.ground if share.ground != sharing.ground else None,
                    lower=moments.get(step_id) == "uitstroom",
                )
                for share in step.shares
            ),
        )
        for step_id, step in sharing.steps.items()
    )
    tail = []
    if sharing.informing:
        informing = sharing.informing
        tail.append(("weergave-betrokkene-informeren", _informing_words(informing.moment, informing.exceptions)))
    tail.append(("weergave-verspreiden", _categories(kaart, sharing.circulated)))
    return _SharingShown(tuple(head), steps, tuple(tail))


# --- HTML ------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _words(text: str) -> str:
    """Library wording, escaped; marked English when it is."""
    escaped = _e(text)
    return f'<span lang="en">{escaped}</span>' if get_language() == "en" else escaped


def _label(code: str, params: Params | None = None) -> str:
    return _words(render(code, params or {}))


def _anchor(kind: str, ident: str) -> str:
    return _e(f"{kind}-{ident}")


def _mark(origin: Origin) -> str:
    label = origin_label(origin)
    return "" if label is None else f' <span class="mark mark-{_e(origin.kind)}">{_words(label)}</span>'


def _page(title: str, body: str, paper: str = "A3 landscape", extra: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        # Nothing may load or run, whatever a kaart text holds.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_css(paper)}\n{extra}\n</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def _meta(kaart: Regiekaart) -> str:
    entries = [
        ("weergave-kaart-id", _e(kaart.id)),
        ("weergave-versie", _e(kaart.version)),
        ("weergave-geldig-vanaf", _e(kaart.valid_from)),
        ("weergave-geldig-tot", _e(kaart.valid_until) if kaart.valid_until else _label("weergave-geen-einddatum")),
    ]
    if kaart.municipalities:
        entries.append(("weergave-gemeenten", _e(", ".join(kaart.municipalities))))
    if kaart.extends:
        entries.append(("weergave-breidt-uit", _e(kaart.extends)))
    items = "".join(f"<div><dt>{_label(code)}:</dt><dd>{value}</dd></div>" for code, value in entries)
    return f'<dl class="meta">{items}</dl>'


def _condition_html(condition: Condition) -> str:
    shown = _shown(condition)
    if shown.intro is None:
        return f"<p>{_words(shown.parts[0])}</p>"
    items = "".join(f"<li>{_words(part)}</li>" for part in shown.parts)
    return f"<p>{_words(shown.intro)}</p><ul>{items}</ul>"


def _rule_link(rule: Rule) -> str:
    return f'<a href="#{_anchor("regel", rule.id)}">{_label("weergave-regel", {"regel": rule.id})}</a>'


def _rule_block(kaart: Regiekaart, rule: Rule) -> str:
    return (
        f'<div class="rule">{_condition_html(rule.condition)}'
        f'<p class="toelichting">{_e(rule.explanation)} ({_rule_link(rule)})'
        f"{_mark(kaart.origin('regels', rule.id))}</p></div>"
    )


def _holders(kaart: Regiekaart, holders: Iterable[str]) -> str:
    names = [kaart.name_of(holder) for holder in holders]
    if not names:
        return _label("weergave-niemand")
    if len(names) == 1:
        return _e(names[0])
    return "<ul>" + "".join(f"<li>{_e(name)}</li>" for name in names) + "</ul>"


def _level_head(kaart: Regiekaart, level: Level) -> str:
    colour = _e(level.colour)
    sub = _words(phase_words(level))
    return (
        f'<th scope="col" id="{_anchor("niveau", level.id)}" class="level-head kleur-{colour}"'
        f' data-niveau="{_e(level.id)}">{_label("weergave-niveau", {"niveau": level.id, "naam": level.name})}'
        f'<span class="sub">{sub}</span>{_mark(kaart.origin("niveaus", level.id))}</th>'
    )


def _scale_up(kaart: Regiekaart, level: Level) -> str:
    parts = []
    if level.id == kaart.level_ids[0]:
        parts.append(f"<p>{_label('weergave-startniveau')}</p>")
    rules = proposing(kaart, level)
    parts += [_rule_block(kaart, rule) for rule in rules]
    if not parts:
        parts.append(f"<p>{_label('weergave-geen-voorstel')}</p>")
    return "".join(parts)


_SLOT = "\ue000"  # a private-use character: where the rule links go in a rendered sentence


def _scale_down(kaart: Regiekaart, level: Level) -> str:
    if level.id == kaart.level_ids[0]:
        return f"<p>{_label('weergave-afschalen-laagste')}</p>"
    links = ", ".join(
        f'<a href="#{_anchor("regel", rule.id)}">{_e(rule.id)}</a>' for rule in _at_or_above(kaart, level)
    )
    text = render("weergave-afschalen-zodra", {"regels": _SLOT})
    before, after = (_words(piece) for piece in text.split(_SLOT))
    return f"<p>{before}{links or _label('weergave-geen')}{after}</p>"


def _actions(kaart: Regiekaart, level: Level) -> str:
    found = actions_on(kaart, level)
    if not found:
        return f"<p>{_label('weergave-geen-acties')}</p>"
    items = "".join(
        f'<li>{"<br>".join(_e(text) for text in texts)} <span class="toelichting">({_rule_link(rule)})</span></li>'
        for rule, texts in found
    )
    return f"<ul>{items}</ul>"


def _term(term: Term) -> str:
    return _label("weergave-termijn", {"aantal": str(term.amount), "eenheid": term.unit})


def _sharing_html(kaart: Regiekaart, level: Level, mark: str, *, explained: bool = False, lead: str = "") -> str:
    """A level's gegevensdeling: the verwerkingsverantwoordelijke and ground, a line per step,
    informing the betrokkene and what is circulated; with ``explained``, the toelichting. ``lead``
    opens the first line (the level's name where the level's column does not say it)."""
    sharing = level.sharing
    if sharing is None:
        return f"<p>{lead}{_label('weergave-gegevensdeling-niet-vastgelegd')}{mark}</p>"
    shown = _sharing_shown(kaart, sharing)

    def pairs(items: Iterable[tuple[str, str]]) -> str:
        return "; ".join(f"{_label(code)}: {_e(text)}" for code, text in items)

    steps = "".join(
        f'<li><span class="stap">{_e(name)}:</span> {"; ".join(_e(share) for share in shares)}</li>'
        for name, shares in shown.steps
    )
    explanation = f'<p class="toelichting">{_e(sharing.explanation)}</p>' if explained and sharing.explanation else ""
    return (
        f'<p>{lead}{pairs(shown.head)}{mark}</p><ul class="delen">{steps}</ul><p>{pairs(shown.tail)}</p>{explanation}'
    )


def _ladder(kaart: Regiekaart) -> str:
    levels = kaart.levels
    head = f'<th scope="col">{_label("weergave-onderdeel")}</th>' + "".join(_level_head(kaart, lv) for lv in levels)

    def row(label: str, cells: Iterable[str], role: str = "") -> str:
        extra = f' data-rol="{_e(role)}"' if role else ""
        tds = "".join(
            f'<td class="tint-{_e(lv.colour)}" data-niveau="{_e(lv.id)}"{extra}>{cell}</td>'
            for lv, cell in zip(levels, cells, strict=True)
        )
        return f'<tr><th scope="row">{label}</th>{tds}</tr>'

    rows = [row(_label("weergave-uitgangssituatie"), (_e(lv.description) for lv in levels))]
    for role in kaart.role_ids:
        rows.append(
            row(
                _role_label(kaart, role),
                (
                    _holders(kaart, lv.roles.holders(role))
                    + _field_mark(kaart.origin("niveaus", lv.id, f"rollen.{role}"))
                    for lv in levels
                ),
                role,
            )
        )
    rows.append(row(_label("weergave-opschalen"), (_scale_up(kaart, lv) for lv in levels)))
    rows.append(row(_label("weergave-afschalen"), (_scale_down(kaart, lv) for lv in levels)))
    rows.append(row(_label("weergave-acties"), (_actions(kaart, lv) for lv in levels)))
    if any(lv.evaluation for lv in levels):
        rows.append(
            row(
                _label("weergave-evaluatiemoment"),
                (_term(lv.evaluation) if lv.evaluation else _label("weergave-geen") for lv in levels),
            )
        )
    rows.append(
        row(
            _label("weergave-protocollen"),
            (_holders(kaart, lv.protocols) if lv.protocols else _label("weergave-geen") for lv in levels),
        )
    )
    rows.append(
        row(
            _label("weergave-gegevensdeling"),
            (
                _sharing_html(kaart, lv, _field_mark(kaart.origin("niveaus", lv.id, "gegevensdeling")), explained=True)
                for lv in levels
            ),
        )
    )
    return (
        f'<table class="ladder"><caption>{_label("weergave-niveaus-bijschrift")}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _field_mark(origin: Origin) -> str:
    # A field shows only a change: the level's heading already says where the level comes from.
    return _mark(origin) if origin.kind == "overridden" else ""


def _table(caption_code: str, headers: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]]) -> str:
    """A table whose first cell per row is its header (``th scope=row``)."""
    head = "".join(f'<th scope="col">{_label(code)}</th>' for code in headers)
    body = "".join(
        f'<tr id="{anchor}"><th scope="row">{cells[0]}</th>{"".join(f"<td>{cell}</td>" for cell in cells[1:])}</tr>'
        for anchor, cells in rows
    )
    return (
        f"<table><caption>{_label(caption_code)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _facts_table(kaart: Regiekaart) -> str:
    rows = (
        (
            _anchor("feit", fact.id),
            [
                _e(fact.id) + _mark(kaart.origin("feiten", fact.id)),
                _e(fact.kind),
                _e(_fact_values(kaart, fact.id)),
                _e(_fact_default(kaart, fact.id)),
                _e(fact.description),
            ],
        )
        for fact in kaart.facts
    )
    headers = ("weergave-kolom-id", "weergave-kolom-soort", "weergave-kolom-waarden", "weergave-kolom-standaard")
    return _table("weergave-feiten-bijschrift", (*headers, "weergave-kolom-omschrijving"), rows)


def _derived_table(kaart: Regiekaart) -> str:
    def holds_when(derived: str) -> str:
        rules = _deriving(kaart, derived)
        if not rules:
            return _label("weergave-nooit")
        return "".join(_rule_block(kaart, rule) for rule in rules)

    rows = (
        (
            _anchor("afgeleid", fact.id),
            [_e(fact.id) + _mark(kaart.origin("afgeleide_feiten", fact.id)), _e(fact.description), holds_when(fact.id)],
        )
        for fact in kaart.derived_facts
    )
    headers = ("weergave-kolom-id", "weergave-kolom-omschrijving", "weergave-kolom-geldt-als")
    return _table("weergave-afgeleide-feiten-bijschrift", headers, rows)


def _organisations_table(kaart: Regiekaart) -> str:
    rows = (
        (
            _anchor("organisatie", item.id),
            [_e(item.name) + _mark(kaart.origin("organisaties", item.id)), _e(item.id), _e(item.description or "")],
        )
        for item in kaart.organisations
    )
    headers = ("weergave-kolom-naam", "weergave-kolom-id", "weergave-kolom-omschrijving")
    return _table("weergave-organisaties-bijschrift", headers, rows)


def _rules_table(kaart: Regiekaart) -> str:
    rows = (
        (
            _anchor("regel", rule.id),
            [
                _e(rule.id) + _mark(kaart.origin("regels", rule.id)),
                _condition_html(rule.condition),
                "<ul>" + "".join(f"<li>{_words(text)}</li>" for text in conclusion_texts(kaart, rule)) + "</ul>",
                _e(rule.explanation),
            ],
        )
        for rule in kaart.rules
    )
    headers = ("weergave-kolom-id", "weergave-kolom-als", "weergave-kolom-dan", "weergave-kolom-toelichting")
    return _table("weergave-regels-bijschrift", headers, rows)


def _properties_table(kaart: Regiekaart) -> str:
    rows = (
        (
            _anchor("eigenschap", item.id),
            [
                _e(item.id) + _mark(kaart.origin("eigenschappen", item.id)),
                _e(item.kind),
                _words(_property_text(kaart, item)),
                _e(item.explanation),
            ],
        )
        for item in kaart.properties
    )
    headers = ("weergave-kolom-id", "weergave-kolom-soort", "weergave-kolom-dan", "weergave-kolom-toelichting")
    return _table("weergave-eigenschappen-bijschrift", headers, rows)


def _lapsed_html(kaart: Regiekaart) -> str:
    lapsed = [(section, ident) for section in t.INHERITED_SECTIONS for ident in kaart.lapsed(section)]
    if not lapsed:
        return ""
    items = "".join(f"<li>{_e(section)}: {_e(ident)}</li>" for section, ident in lapsed)
    return f"<h2>{_label('weergave-vervallen', {'basis': kaart.extends or '?'})}</h2><ul>{items}</ul>"


def _reference_html(kaart: Regiekaart, paper: str) -> str:
    """The reference document: the whole kaart with its tables (facts, derived facts,
    organisations, rules, properties), as the page was before the one-sheet regiekaart."""
    sections = [
        f"<h1>{_e(kaart.name)}</h1>",
        _meta(kaart),
        f"<p>{_e(kaart.description)}</p>" if kaart.description else "",
        f"<h2>{_label('weergave-niveaus')}</h2>",
        _ladder(kaart),
        f"<h2>{_label('weergave-feiten')}</h2>",
        _facts_table(kaart),
    ]
    if kaart.derived_facts:
        sections += [f"<h2>{_label('weergave-afgeleide-feiten')}</h2>", _derived_table(kaart)]
    sections += [f"<h2>{_label('weergave-organisaties')}</h2>", _organisations_table(kaart)]
    sections += [f"<h2>{_label('weergave-regels')}</h2>", _rules_table(kaart)]
    if kaart.properties:
        sections += [f"<h2>{_label('weergave-eigenschappen')}</h2>", _properties_table(kaart)]
    sections.append(_lapsed_html(kaart))
    title = render("weergave-naslag-titel", {"naam": kaart.name})
    return _page(title, "\n".join(part for part in sections if part), paper=f"{paper} landscape", extra=_REFERENCE_CSS)


# --- the one-sheet regiekaart ----------------------------------------------------------------

PAPERS = ("A3", "A4")


def render_html(kaart: Regiekaart, *, reference: bool = False, paper: str = "A3") -> str:
    """The kaart as one self-contained HTML page: no scripts, no external files.

    By default the regiekaart as it goes on the table: in print one landscape sheet, the levels
    as columns, the four roles right under the coloured headings, then in plain words when to
    scale up and down, the actions with what sets them off, the protocols, and the gegevensdeling
    of the levels that state it (one row; the others named in one line). With ``reference=True``
    the reference document instead: the whole kaart, each level's gegevensdeling in its column,
    with its tables of facts, derived facts, organisations, rules and properties. ``paper`` is
    ``"A3"`` or ``"A4"``, landscape."""
    if paper not in PAPERS:
        raise ValueError(f"paper is one of {', '.join(PAPERS)}, not {paper!r}")
    if reference:
        return _reference_html(kaart, paper)
    notes = _Notes()
    words = kaart_words(kaart)
    body = [
        '<header class="kop">',
        f"<h1>{_e(kaart.name)}</h1>",
        _meta(kaart),
        "</header>",
        _sheet(kaart, words, notes),
        _sheet_footer(kaart, notes),
    ]
    return _page(kaart.name, "\n".join(body), paper=f"{paper} landscape", extra=_sheet_css(kaart, paper))


class _Notes:
    """Numbered footnotes; the same text gets the same number."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mark(self, origin: Origin) -> str:
        if origin.kind in ("own", "inherited"):
            return ""
        label = origin_label(origin) or ""
        if label not in self.texts:
            self.texts.append(label)
        number = self.texts.index(label) + 1
        return f'<sup class="noot"><a href="#noot-{number}">{number}</a></sup>'


def _sheet(kaart: Regiekaart, words: Words, notes: _Notes) -> str:
    levels = kaart.levels
    head = f'<th scope="col" class="hoek">{_label("weergave-onderdeel")}</th>' + "".join(
        _sheet_head(kaart, rank, level, notes) for rank, level in enumerate(levels)
    )

    def row(code: str, cells: Iterable[str], name: str, role: str = "") -> str:
        # data-label: the row's name over each cell when a narrow screen stacks the levels
        extra = f' data-rol="{_e(role)}"' if role else ""
        label = _e(role_name(kaart, role) if role else render(code, {}))
        heading = _role_label(kaart, role) if role else _label(code)
        tds = "".join(
            f'<td class="tint-{_e(lv.colour)}" data-niveau="{_e(lv.id)}"{extra} data-trede="{rank}"'
            f' data-label="{label}">{cell}</td>'
            for rank, (lv, cell) in enumerate(zip(levels, cells, strict=True))
        )
        return f'<tr data-rij="{_e(name)}"><th scope="row">{heading}</th>{tds}</tr>'

    rows = [
        row(
            f"weergave-rol-{role}",
            (
                _inline(kaart, lv.roles.holders(role)) + notes.mark(kaart.origin("niveaus", lv.id, f"rollen.{role}"))
                for lv in levels
            ),
            role,
            role,
        )
        for role in kaart.role_ids
    ]
    rows.append(row("weergave-uitgangssituatie", (_e(lv.description) for lv in levels), "uitgangssituatie"))
    rows.append(row("weergave-wanneer-opschalen", (_up(kaart, lv, words, notes) for lv in levels), "opschalen"))
    rows.append(_down_row(kaart))
    common, per_level = _sheet_actions(kaart, words)
    rows.append(
        row(
            "weergave-acties-aanleiding",
            (_action_list(kaart, per_level[lv.id], notes) or _label("weergave-geen-acties") for lv in levels),
            "acties",
        )
    )
    if common:
        rows.append(
            f'<tr data-rij="elk-niveau"><th scope="row">{_label("weergave-elk-niveau")}</th>'
            f'<td colspan="{len(levels)}" class="elk-niveau" data-label="{_e(render("weergave-elk-niveau", {}))}">'
            f"{_action_list(kaart, common, notes)}</td></tr>"
        )
    if any(lv.evaluation for lv in levels):
        rows.append(
            row(
                "weergave-evaluatiemoment",
                (_term(lv.evaluation) if lv.evaluation else _label("weergave-geen") for lv in levels),
                "evaluatiemoment",
            )
        )
    rows.append(
        row(
            "weergave-protocollen",
            (_inline(kaart, lv.protocols) if lv.protocols else _label("weergave-geen") for lv in levels),
            "protocollen",
        )
    )
    rows.append(_sharing_row(kaart, notes))
    return (
        f'<table class="ladder sheet"><caption>{_label("weergave-niveaus-bijschrift")}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _sharing_row(kaart: Regiekaart, notes: _Notes) -> str:
    """Gegevensdeling in one cell across the levels: a block per level that states it, in ladder
    order, then in one line the levels that do not. A cell per level would make a row as tall as
    the longest gegevensdeling and leave the other columns empty; this way the sheet still fits
    one page."""
    label = _e(render("weergave-gegevensdeling", {}))  # over the cell on a narrow screen
    parts = []
    for rank, level in enumerate(kaart.levels):
        if level.sharing is not None:
            mark = notes.mark(kaart.origin("niveaus", level.id, "gegevensdeling"))
            lead = f"<strong>{_label('weergave-gegevensdeling-niveau', {'niveau': level.id})}:</strong> "
            parts.append(
                f'<div class="deling trede-{rank}" data-niveau="{_e(level.id)}">'
                f"{_sharing_html(kaart, level, mark, lead=lead)}</div>"
            )
    silent = [level.id for level in kaart.levels if level.sharing is None]
    if silent:
        code = "weergave-gegevensdeling-niet-niveau" if len(silent) == 1 else "weergave-gegevensdeling-niet-niveaus"
        parts.append(f'<p class="deling-geen">{_label(code, {"niveaus": joined(silent, "weergave-en")})}</p>')
    return (
        f'<tr data-rij="gegevensdeling"><th scope="row">{_label("weergave-gegevensdeling")}</th>'
        f'<td colspan="{len(kaart.levels)}" class="gegevensdeling" data-label="{label}">'
        f'<div class="delingen">{"".join(parts)}</div></td></tr>'
    )


def _inline(kaart: Regiekaart, idents: Iterable[str]) -> str:
    """Names in one run, separated by semicolons (a name may hold a comma)."""
    names = [kaart.name_of(ident) for ident in idents]
    return "; ".join(_e(name) for name in names) if names else _label("weergave-niemand")


def _sheet_head(kaart: Regiekaart, rank: int, level: Level, notes: _Notes) -> str:
    sub = _words(phase_words(level))
    return (
        f'<th scope="col" id="{_anchor("niveau", level.id)}" class="level-head trede-{rank}"'
        f' data-niveau="{_e(level.id)}" data-trede="{rank}">'
        f"{_label('weergave-niveau', {'niveau': level.id, 'naam': level.name})}"
        f'{notes.mark(kaart.origin("niveaus", level.id))}<span class="sub">{sub}</span></th>'
    )


def _plain_condition(condition: Condition, words: Words, mark: str = "") -> str:
    intro, parts = listed(condition, words)
    if intro is None:
        return f"<p>{_words(render('weergave-als', {'voorwaarde': parts[0]}))}{mark}</p>"
    return f"<p>{_words(intro)}{mark}</p><ul>{''.join(f'<li>{_words(part)}</li>' for part in parts)}</ul>"


def _up(kaart: Regiekaart, level: Level, words: Words, notes: _Notes) -> str:
    parts = [f"<p>{_label('weergave-startniveau')}</p>"] if level.id == kaart.level_ids[0] else []
    for rule in proposing(kaart, level):
        mark = notes.mark(kaart.origin("regels", rule.id))
        parts.append(f'<div class="rule">{_plain_condition(rule.condition, words, mark)}</div>')
    return "".join(parts) or f"<p>{_label('weergave-geen-voorstel')}</p>"


def _down_row(kaart: Regiekaart) -> str:
    """Scaling down reads the same from every level but the lowest: one cell spans those."""
    lowest = kaart.levels[0]
    label = _e(render("weergave-wanneer-afschalen", {}))
    cells = (
        f'<td class="tint-{_e(lowest.colour)}" data-niveau="{_e(lowest.id)}" data-trede="0" data-label="{label}">'
        f"<p>{_label('weergave-afschalen-laagste')}</p></td>"
    )
    if len(kaart.levels) > 1:
        words = _label("weergave-afschalen-woorden")
        cells += f'<td colspan="{len(kaart.levels) - 1}" data-label="{label}"><p>{words}</p></td>'
    return f'<tr data-rij="afschalen"><th scope="row">{_label("weergave-wanneer-afschalen")}</th>{cells}</tr>'


@dataclass(frozen=True)
class _Shown:
    """An action as the sheet shows it: what sets it off (None: the level alone) and its text."""

    rule: Rule
    trigger: str | None
    text: str


def _sheet_actions(kaart: Regiekaart, words: Words) -> tuple[list[_Shown], dict[str, list[_Shown]]]:
    """Per level the actions a case there can get, each once; those the same on every level
    apart, in the order of the first level."""
    per_level: dict[str, list[_Shown]] = {}
    for level in kaart.levels:
        shown: list[_Shown] = []
        for rule, texts in actions_on(kaart, level):
            rest = _at_level(rule.condition, kaart, level.id)
            trigger = None if rest is None else sentence(rest, words)
            for text in texts:
                if all((item.trigger, item.text) != (trigger, text) for item in shown):
                    # in the level's own column its id says enough
                    shown.append(_Shown(rule, trigger, text.replace(kaart.name_of(level.id), level.id)))
        per_level[level.id] = shown
    first, *others = per_level.values()
    common = [item for item in first if all(item in other for other in others)] if others else []
    return common, {level: [item for item in items if item not in common] for level, items in per_level.items()}


def _at_level(condition: Condition, kaart: Regiekaart, level: str) -> Condition | None:
    """``condition`` with what certainly holds on ``level`` left out (None: nothing is left)."""
    if _may_hold(condition, kaart, level) is True:
        return None
    if isinstance(condition, AllOf):
        rest = [part for part in (_at_level(part, kaart, level) for part in condition.all) if part is not None]
        return rest[0] if len(rest) == 1 else AllOf.model_validate({"alle": rest}) if rest else None
    return condition


def _action_list(kaart: Regiekaart, items: Sequence[_Shown], notes: _Notes) -> str:
    if not items:
        return ""
    grouped: dict[str | None, list[_Shown]] = {}
    for item in items:
        grouped.setdefault(item.trigger, []).append(item)
    lines = []
    for trigger, group in grouped.items():
        when = (
            f'<span class="aanleiding">{_label("weergave-aanleiding", {"voorwaarde": trigger})}</span> '
            if trigger
            else ""
        )
        texts = " ".join(_e(item.text) for item in group)
        marks = "".join(dict.fromkeys(notes.mark(kaart.origin("regels", item.rule.id)) for item in group))
        lines.append(f"<li>{when}{texts}{marks}</li>")
    return f'<ul class="acties">{"".join(lines)}</ul>'


def _sheet_footer(kaart: Regiekaart, notes: _Notes) -> str:
    parts = ['<footer class="voet">']
    if kaart.extends:
        parts.append(f'<p class="herkomst">{_label("weergave-herkomst-regel", {"basis": kaart.extends})}</p>')
    if notes.texts:
        items = "".join(
            f'<li id="noot-{number}">{_words(text)}</li>' for number, text in enumerate(notes.texts, start=1)
        )
        parts.append(f'<ol class="voetnoten" aria-label="{_e(render("weergave-voetnoten", {}))}">{items}</ol>')
    lapsed = [(section, ident) for section in t.INHERITED_SECTIONS for ident in kaart.lapsed(section)]
    if lapsed:
        gone = "; ".join(f"{section}: {ident}" for section, ident in lapsed)
        parts.append(
            f'<p class="herkomst">{_label("weergave-vervallen", {"basis": kaart.extends or "?"})}: {_e(gone)}</p>'
        )
    if kaart.description:
        parts.append(
            f'<p class="over"><strong>{_label("weergave-over-de-kaart")}:</strong> {_e(kaart.description)}</p>'
        )
    parts.append(f'<p class="herkomst">{_label("weergave-naslag")}</p></footer>')
    return "".join(parts)


def render_decision_html(
    kaart: Regiekaart, decision: Decision, *, facts: Mapping[str, object] | None = None, case: str | None = None
) -> str:
    """One decided case as a page for the dossier, on A4 portrait: the level and the step to it,
    who holds which role, what to do and by when, the level's protocols, the gegevensdeling that
    applies (``decision.sharing``: per level and step what may go from whom to whom, on which
    ground; per hand-over what its target may receive), the rules that decided it first (with which
    alternative of each ``een_van`` held) and the others folded away.

    With ``facts`` (as given to :meth:`~ave_rules.Regiekaart.evaluate`), the page also shows them,
    as entered, and the previous level; ``case`` is the caller's case reference, shown as given.
    Raises FactsError for facts that do not fit the kaart."""
    level = kaart.level_by_id[decision.level]
    given = FactChecker(kaart).validated(facts) if facts is not None else None
    full = complete(kaart, given)[0] if given is not None else None
    held = dict(alternatives_held(kaart, full, decision.level)) if full is not None else {}
    title = render("weergave-besluit", {"niveau": level.id, "naam": level.name})
    meta = [
        ("weergave-kaart", _e(f"{kaart.name}, {_label('weergave-versie').lower()} {decision.kaart.version}")),
        ("weergave-peildatum", f'<time datetime="{decision.reference_date}">{decision.reference_date}</time>'),
    ]
    if case is not None:
        meta.append(("weergave-zaak", _e(case)))
    if full is not None:
        meta.append(("weergave-stap", _e(_step(kaart, current_level(kaart, full), level))))
    sections = [
        f'<h1><span class="mark kleur-{_e(level.colour)}">{_e(level.id)}</span> {_words(title)}</h1>',
        '<dl class="meta">' + "".join(f"<div><dt>{_label(c)}:</dt><dd>{v}</dd></div>" for c, v in meta) + "</dl>",
        f"<p>{_e(level.description)}</p>",
        f"<h2>{_label('weergave-rollen')}</h2>",
        _table(
            "weergave-besluit-bijschrift",
            ("weergave-rol", "weergave-houders"),
            (
                (_anchor("rol", role), [_role_label(kaart, role), _inline(kaart, decision.roles.get(role, ()))])
                for role in kaart.role_ids
            ),
        ),
        f"<h2>{_label('weergave-te-doen')}</h2>",
        _to_do(decision),
    ]
    if level.protocols:
        names = ", ".join(kaart.name_of(protocol) for protocol in level.protocols)
        sections.append(f"<h2>{_label('weergave-protocollen')}</h2><p>{_e(names)}</p>")
    sections += [f"<h2>{_label('weergave-gegevensdeling')}</h2>", _decision_sharing(kaart, decision)]
    sections += [f"<h2>{_label('weergave-waarom')}</h2>", _why(kaart, decision, held)]
    if decision.derived:
        sections.append(f"<h2>{_label('weergave-afgeleid-geldt')}</h2><p>{_e(', '.join(decision.derived))}</p>")
    if given is not None:
        sections += [f"<h2>{_label('weergave-feiten-ingevoerd')}</h2>", _facts_entered(kaart, given)]
    elif decision.defaulted:
        sections.append(f"<h2>{_label('weergave-standaard-gebruikt')}</h2><p>{_e(', '.join(decision.defaulted))}</p>")
    return _page(title, "\n".join(sections), paper="A4 portrait", extra=_DECISION_CSS)


# In print the page is one A4 sheet: lines, headings and the facts a little closer together.
_DECISION_CSS = """
@media print {
  body { line-height: 1.25; }
  h2 { margin: .4rem 0 .1rem; }
  dl.facts div { margin: 0 0 .1rem; }
}
""".strip()


def _step(kaart: Regiekaart, current: str | None, level: Level) -> str:
    if current is None:
        return render("weergave-stap-nieuw", {"naar": level.id})
    change = transition(kaart, level.id, current)
    return render(f"weergave-stap-{change}", {"van": current, "naar": level.id})


def _to_do(decision: Decision) -> str:
    def due(action: Action) -> str:
        day = action.due
        return f' (<time datetime="{day}">{_label("uitleg-uiterlijk", {"datum": str(day)})}</time>)' if day else ""

    shown = (
        "<ol>" + "".join(f"<li>{_e(action.text)}{due(action)}</li>" for action in decision.actions) + "</ol>"
        if decision.actions
        else f"<p>{_label('weergave-geen-acties')}</p>"
    )
    if decision.next_evaluation:
        day = decision.next_evaluation
        shown += f'<p><time datetime="{day}">{_label("uitleg-evaluatie", {"datum": str(day)})}</time></p>'
    return shown


@dataclass(frozen=True)
class DecidedSharing:
    """A decision's gegevensdeling in words, for the dossier page and ``ave-rules evaluate``: a
    note when the decided level states none, per level that applies its heading, what is said of it
    as (label code, text) pairs and its shares as (step name, text), and per hand-over what its target
    may receive."""

    note: str | None
    levels: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], ...]
    receiving: tuple[str, ...]


def decided_sharing(kaart: Regiekaart, decision: Decision) -> DecidedSharing:
    """What ``decision`` permits to share, in words (see :class:`DecidedSharing`)."""
    note = None
    if all(sharing.level != decision.level for sharing in decision.sharing):
        note = render("weergave-gegevensdeling-geen-besluit", {"niveau": decision.level})
    levels = []
    for sharing in decision.sharing:
        stated = kaart.level_by_id[sharing.level].sharing if sharing.level in kaart.level_by_id else None
        ground = stated.ground if stated else None
        controller = _party(kaart, sharing.controller)
        said = [
            (
                "weergave-verwerkingsverantwoordelijke",
                _with_organisations(kaart, controller, sharing.controller_organisations),
            )
        ]
        if ground:
            said.append(
                ("weergave-grondslag", render("weergave-grondslag-tenzij", {"grondslag": _ground_name(kaart, ground)}))
            )
        if sharing.informing:
            said.append(
                (
                    "weergave-betrokkene-informeren",
                    _informing_words(sharing.informing.moment, sharing.informing.exceptions),
                )
            )
        said.append(("weergave-verspreiden", _categories(kaart, sharing.circulated)))
        code = (
            "weergave-gegevensdeling-niveau" if sharing.level == decision.level else "weergave-gegevensdeling-verlaten"
        )
        shares = tuple(
            (_step_name(kaart, share.step), _decided_share(kaart, decision, share, ground)) for share in sharing.shares
        )
        levels.append((render(code, {"niveau": sharing.level}), tuple(said), shares))
    receiving = tuple(
        _receiving(kaart, number, action)
        for number, action in enumerate(decision.actions, start=1)
        if action.may_receive is not None
    )
    return DecidedSharing(note, tuple(levels), receiving)


def _decision_sharing(kaart: Regiekaart, decision: Decision) -> str:
    """What the decision permits to share: per level (the decided one; on afschalen also the level
    left) the verwerkingsverantwoordelijke, the ground, informing the betrokkene and what is
    circulated, then a line per share; last, per hand-over, what its target may receive."""
    words = decided_sharing(kaart, decision)
    parts = [f"<p>{_words(words.note)}</p>"] if words.note else []
    for (heading, said, shares), sharing in zip(words.levels, decision.sharing, strict=True):
        pairs = "; ".join(f"{_label(label)}: {_e(text)}" for label, text in said)
        parts.append(f"<p><strong>{_words(heading)}.</strong> {pairs}.</p>")
        if shares:
            items = "".join(f'<li><span class="stap">{_e(step)}:</span> {_e(text)}.</li>' for step, text in shares)
            parts.append(f'<ul class="delen">{items}</ul>')
        else:
            parts.append(f"<p>{_label('weergave-gegevensdeling-geen-stap', {'niveau': sharing.level})}</p>")
    parts += (f'<p class="overdracht">{_words(text)}</p>' for text in words.receiving)
    return "".join(parts)


def _with_organisations(kaart: Regiekaart, words: str, organisations: Sequence[str]) -> str:
    """A party in words, then the organisations it stands for where those are other words."""
    names = "; ".join(kaart.name_of(organisation) for organisation in organisations)
    if not names or names == words:
        return words
    return f"{words}: {names}" if "(" in names else f"{words} ({names})"  # never nested parentheses


def _decided_share(kaart: Regiekaart, decision: Decision, share: Share, ground: str | None) -> str:
    """A share of a decision in a line: its parties with the organisations they stand for on the
    decided level, its ground where that is not the level's."""
    sender = share.sender
    senders = (
        decision.roles.get(sender, ()) if sender in kaart.role_ids else () if sender in t.SPECIAL_PARTIES else (sender,)
    )
    recipients = joined([_party(kaart, party) for party in share.recipients], "weergave-en")
    text = render(
        "weergave-delen-van-met",
        {
            "categorieen": _categories(kaart, share.categories),
            "van": _with_organisations(kaart, _party(kaart, sender), senders),
            "met": _with_organisations(kaart, recipients, share.organisations),
        },
    )
    if share.ground is None:
        return render("weergave-delen-grondslag", {"delen": text, "grondslag": render("weergave-geen", {})})
    if share.ground == ground:
        return text
    return render("weergave-delen-grondslag", {"delen": text, "grondslag": _ground_name(kaart, share.ground)})


def _receiving(kaart: Regiekaart, number: int, action: Action) -> str:
    """What the target of hand-over ``number`` (in the list of what to do) may receive."""
    params: Params = {"nummer": str(number), "doel": kaart.name_of(action.target)}
    if action.may_receive:
        return render("weergave-mag-ontvangen", {**params, "categorieen": _categories(kaart, action.may_receive)})
    return render("weergave-mag-niets-ontvangen", params)


def _why(kaart: Regiekaart, decision: Decision, held: Mapping[int, Sequence[tuple[str, Sequence[int]]]]) -> str:
    """The rules that proposed the decided level, then the other rules that held, folded away."""
    index = {rule.id: number for number, rule in enumerate(kaart.rules)}
    fired = [kaart.rules[index[entry.rule]] for entry in decision.trace if entry.rule in index]
    deciding = [rule for rule in fired if rule.conclusion.level == decision.level]
    others = [rule for rule in fired if rule.conclusion.level != decision.level]

    def item(rule: Rule) -> str:
        alternatives = {path: set(positions) for path, positions in held.get(index[rule.id], ())}
        return (
            f'<li class="rule"><p><strong>{_e(rule.explanation)}</strong> '
            f'<span class="toelichting">({_label("weergave-regel", {"regel": rule.id})})</span></p>'
            f"{_held_html(rule.condition, '/als', alternatives)}</li>"
        )

    if not fired:
        return f"<p>{_label('weergave-geen')}</p>"
    shown = f"<ul>{''.join(item(rule) for rule in deciding)}</ul>" if deciding else ""
    if not deciding:
        shown += f"<p>{_label('weergave-startniveau-besluit')}</p>"
    if others:
        summary = _label("weergave-andere-regels", {"aantal": str(len(others))})
        shown += f"<details><summary>{summary}</summary><ul>{''.join(item(rule) for rule in others)}</ul></details>"
    return shown


def _held_html(condition: Condition, path: str, held: Mapping[str, set[int]]) -> str:
    """A condition as nested lists; each alternative of an ``een_van`` says whether it held (where
    that is known: ``held`` has the positions of the alternatives that held, by path)."""
    if isinstance(condition, AllOf) and len(condition.all) > 1:
        parts = "".join(
            f"<li>{_held_html(part, f'{path}/alle/{n}', held)}</li>" for n, part in enumerate(condition.all)
        )
        return f"<p>{_label('weergave-alle-gelden')}</p><ul>{parts}</ul>"
    if isinstance(condition, AnyOf) and len(condition.any) > 1:
        here = f"{path}/een_van"
        known = held.get(here)
        items = []
        for n, part in enumerate(condition.any):
            inner = _held_html(part, f"{here}/{n}", held)
            if known is None:
                items.append(f"<li>{inner}</li>")
            else:
                code = "weergave-alternatief-geldt" if n in known else "weergave-alternatief-geldt-niet"
                css = "held" if n in known else "not-held"
                items.append(f'<li class="{css}"><span class="mark mark-{css}">{_label(code)}</span> {inner}</li>')
        return f"<p>{_label('weergave-een-geldt')}</p><ul>{''.join(items)}</ul>"
    return _words(sentence(condition))


def _facts_entered(kaart: Regiekaart, given: Mapping[str, object]) -> str:
    """The facts as entered, each with its description; then, in one line, the kaart's other
    facts with the default each took."""

    def value(entered: object) -> str:
        if isinstance(entered, bool):
            return _label("weergave-ja" if entered else "weergave-nee")
        if isinstance(entered, tuple | list):
            return _e(", ".join(str(member) for member in entered)) or _label("weergave-geen")
        return _e(str(entered))

    items = "".join(
        f'<div id="{_anchor("feit", fact.id)}"><dt>{_e(fact.description)} <span class="toelichting">'
        f"({_e(fact.id)})</span></dt><dd>{value(given[fact.id])}</dd></div>"
        for fact in kaart.facts
        if fact.id in given
    )
    shown = f'<dl class="facts">{items}</dl>'
    defaulted = [f"{fact.id}: {_fact_default(kaart, fact.id)}" for fact in kaart.facts if fact.id not in given]
    if defaulted:
        shown += f'<p class="toelichting">{_label("weergave-standaard-gebruikt")}: {_e("; ".join(defaulted))}</p>'
    return shown


# --- markdown --------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~&!])")
_LINE_START = re.compile(r"^([-+=>]|\d+[.)])")


def _md(text: str, *, starts_line: bool = False) -> str:
    """Kaart text as literal markdown: one line, special characters backslash-escaped; at the
    start of a line also what would begin a list, quote or heading there."""
    flat = " ".join(text.split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    return _LINE_START.sub(r"\\\1", escaped) if starts_line else escaped


def _md_mark(origin: Origin) -> str:
    label = origin_label(origin)
    return "" if label is None else f" _({_md(label)})_"


def _md_condition(condition: Condition, indent: str = "") -> list[str]:
    shown = _shown(condition)
    if shown.intro is None:
        return [f"{indent}- {_md(shown.parts[0])}"]
    return [f"{indent}- {_md(shown.intro)}", *(f"{indent}  - {_md(part)}" for part in shown.parts)]


def _md_rule(kaart: Regiekaart, rule: Rule) -> list[str]:
    lines = _md_condition(rule.condition)
    reference = _md(render("weergave-regel", {"regel": rule.id}))
    mark = _md_mark(kaart.origin("regels", rule.id))
    lines.append(f"  {_md(rule.explanation, starts_line=True)} ({reference}){mark}")
    return lines


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _md_level(kaart: Regiekaart, level: Level) -> list[str]:
    heading = render("weergave-niveau", {"niveau": level.id, "naam": level.name})
    sub = phase_words(level)
    lines = [
        f"### {_md(heading)} ({_md(sub)}){_md_mark(kaart.origin('niveaus', level.id))}",
        "",
        f"**{_md(render('weergave-uitgangssituatie', {}))}:** {_md(level.description)}",
        "",
    ]
    roles = []
    for role in kaart.role_ids:
        names = [kaart.name_of(holder) for holder in level.roles.holders(role)]
        holders = ", ".join(_md(name) for name in names) or _md(render("weergave-niemand", {}))
        origin = kaart.origin("niveaus", level.id, f"rollen.{role}")
        roles.append(
            (
                _md(role_name(kaart, role)),
                holders + (_md_mark(origin) if origin.kind == "overridden" else ""),
            )
        )
    lines += _md_table((_md(render("weergave-rol", {})), _md(render("weergave-houders", {}))), roles)
    lines += ["", f"**{_md(render('weergave-opschalen', {}))}**", ""]
    if level.id == kaart.level_ids[0]:
        lines += [_md(render("weergave-startniveau", {})), ""]
    rules = proposing(kaart, level)
    for rule in rules:
        lines += [*_md_rule(kaart, rule)]
    if not rules and level.id != kaart.level_ids[0]:
        lines.append(_md(render("weergave-geen-voorstel", {})))
    lines += ["", f"**{_md(render('weergave-afschalen', {}))}**", ""]
    if level.id == kaart.level_ids[0]:
        lines.append(_md(render("weergave-afschalen-laagste", {})))
    else:
        ids = ", ".join(rule.id for rule in _at_or_above(kaart, level)) or render("weergave-geen", {})
        lines.append(_md(render("weergave-afschalen-zodra", {"regels": ids})))
    lines += ["", f"**{_md(render('weergave-acties', {}))}**", ""]
    found = actions_on(kaart, level)
    for rule, texts in found:
        reference = _md(render("weergave-regel", {"regel": rule.id}))
        lines += [f"- {_md(text)} ({reference})" for text in texts]
    if not found:
        lines.append(_md(render("weergave-geen-acties", {})))
    protocols = ", ".join(kaart.name_of(ident) for ident in level.protocols) or render("weergave-geen", {})
    lines += ["", f"**{_md(render('weergave-protocollen', {}))}:** {_md(protocols)}", ""]
    return lines + _md_sharing(kaart, level)


def _md_sharing(kaart: Regiekaart, level: Level) -> list[str]:
    label = f"**{_md(render('weergave-gegevensdeling', {}))}"
    if level.sharing is None:
        return [f"{label}:** {_md(render('weergave-gegevensdeling-niet-vastgelegd', {}))}", ""]
    shown = _sharing_shown(kaart, level.sharing)
    lines = [f"{label}**", ""]
    lines += [f"- {_md(render(code, {}))}: {_md(text)}" for code, text in shown.head]
    lines += [f"- _{_md(name)}:_ {_md('; '.join(shares))}" for name, shares in shown.steps]
    lines += [f"- {_md(render(code, {}))}: {_md(text)}" for code, text in shown.tail]
    if level.sharing.explanation:
        lines += ["", _md(level.sharing.explanation, starts_line=True)]
    return [*lines, ""]


def render_markdown(kaart: Regiekaart) -> str:
    """The same content as :func:`render_html`, as markdown: a section per level, then tables."""
    meta = [
        ("weergave-kaart-id", kaart.id),
        ("weergave-versie", kaart.version),
        ("weergave-geldig-vanaf", kaart.valid_from),
        ("weergave-geldig-tot", kaart.valid_until or render("weergave-geen-einddatum", {})),
    ]
    if kaart.municipalities:
        meta.append(("weergave-gemeenten", ", ".join(kaart.municipalities)))
    if kaart.extends:
        meta.append(("weergave-breidt-uit", kaart.extends))
    lines = [f"# {_md(kaart.name)}", ""]
    lines += [f"- **{_md(render(code, {}))}:** {_md(value)}" for code, value in meta]
    lines.append("")
    if kaart.description:
        lines += [_md(kaart.description, starts_line=True), ""]
    lines += [f"## {_md(render('weergave-niveaus', {}))}", ""]
    for level in kaart.levels:
        lines += _md_level(kaart, level)
    lines += [f"## {_md(render('weergave-feiten', {}))}", ""]
    lines += _md_table(
        [
            _md(render(code, {}))
            for code in (
                "weergave-kolom-id",
                "weergave-kolom-soort",
                "weergave-kolom-waarden",
                "weergave-kolom-standaard",
                "weergave-kolom-omschrijving",
            )
        ],
        (
            [
                _md(fact.id) + _md_mark(kaart.origin("feiten", fact.id)),
                _md(fact.kind),
                _md(_fact_values(kaart, fact.id)),
                _md(_fact_default(kaart, fact.id)),
                _md(fact.description),
            ]
            for fact in kaart.facts
        ),
    )
    if kaart.derived_facts:
        lines += ["", f"## {_md(render('weergave-afgeleide-feiten', {}))}", ""]
        for fact in kaart.derived_facts:
            lines += [
                f"### {_md(fact.id)}{_md_mark(kaart.origin('afgeleide_feiten', fact.id))}",
                "",
                _md(fact.description, starts_line=True),
                "",
            ]
            rules = _deriving(kaart, fact.id)
            for rule in rules:
                lines += _md_rule(kaart, rule)
            if not rules:
                lines.append(_md(render("weergave-nooit", {})))
            lines.append("")
    lines += ["", f"## {_md(render('weergave-organisaties', {}))}", ""]
    lines += _md_table(
        [_md(render(code, {})) for code in ("weergave-kolom-naam", "weergave-kolom-id", "weergave-kolom-omschrijving")],
        (
            [
                _md(item.name) + _md_mark(kaart.origin("organisaties", item.id)),
                _md(item.id),
                _md(item.description or ""),
            ]
            for item in kaart.organisations
        ),
    )
    lines += ["", f"## {_md(render('weergave-regels', {}))}", ""]
    for rule in kaart.rules:
        mark = _md_mark(kaart.origin("regels", rule.id))
        lines += [f"### {_md(rule.id)}{mark}", "", _md(rule.explanation, starts_line=True), ""]
        lines += _md_condition(rule.condition)
        lines += [f"- {_md(render('weergave-kolom-dan', {}))}: {_md(text)}" for text in conclusion_texts(kaart, rule)]
        lines.append("")
    if kaart.properties:
        lines += [f"## {_md(render('weergave-eigenschappen', {}))}", ""]
        for item in kaart.properties:
            text = _property_text(kaart, item)
            mark = _md_mark(kaart.origin("eigenschappen", item.id))
            lines.append(
                f"- **{_md(item.id)}** ({_md(item.kind)}){mark}: {_md(item.explanation)}"
                + (f" {_md(text)}" if text else "")
            )
        lines.append("")
    lapsed = [(section, ident) for section in t.INHERITED_SECTIONS for ident in kaart.lapsed(section)]
    if lapsed:
        lines += [f"## {_md(render('weergave-vervallen', {'basis': kaart.extends or '?'}))}", ""]
        lines += [f"- {_md(section)}: {_md(ident)}" for section, ident in lapsed]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
