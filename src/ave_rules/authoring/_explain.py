"""A decision as a person reads it: a short Dutch (or English) summary with its reasons."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from .._messages import render
from ..kaart import Decision, Regiekaart
from ._render import decided_sharing


def explain(kaart: Regiekaart, decision: Decision) -> str:
    level = kaart.level_by_id[decision.level]
    names = {organisation.id: organisation.name for organisation in kaart.organisations}
    lines = [
        render(
            "uitleg-niveau", {"niveau": level.id, "naam": level.name, "fase": str(level.phase), "kleur": level.colour}
        )
        if level.closing is None
        else render(
            "uitleg-afsluiting",
            {"niveau": level.id, "naam": level.name, "afsluiting": level.closing, "kleur": level.colour},
        ),
        "",
        render("uitleg-rollen", {}),
    ]
    extra = {role.id: role.name for role in kaart.extra_roles}
    for role in kaart.role_ids:
        holders = ", ".join(names[ident] for ident in decision.roles.get(role, ())) or "-"
        lines.append(f"  {extra.get(role) or role.replace('_', ' ')}: {holders}")
    lines += to_do([(action.text, action.due) for action in decision.actions], decision.next_evaluation)
    if decision.next_evaluation or any(action.due for action in decision.actions):
        lines.append(render("uitleg-peildatum", {"datum": decision.reference_date.isoformat()}))
    if decision.sharing:
        lines += ["", render("uitleg-gegevensdeling", {}), *_sharing_lines(kaart, decision)]
    lines += ["", render("uitleg-waarom", {})]
    lines += [f"  - {entry.explanation} [{entry.rule}]" for entry in decision.trace]
    if decision.defaulted:
        lines += ["", render("uitleg-standaard", {"feiten": ", ".join(decision.defaulted)})]
    engine = decision.engine
    lines += ["", render("uitleg-kaart", {"id": decision.kaart.id, "versie": decision.kaart.version, "engine": engine})]
    return "\n".join(lines)


def _sharing_lines(kaart: Regiekaart, decision: Decision) -> list[str]:
    words = decided_sharing(kaart, decision)
    lines = [f"  {words.note}"] if words.note else []
    for heading, said, shares in words.levels:
        lines.append(f"  {heading}: " + "; ".join(f"{render(label, {})}: {text}" for label, text in said))
        lines += (f"    - {step}: {text}" for step, text in shares)
    lines += (f"  {text}" for text in words.receiving)
    return lines


def to_do(actions: Sequence[tuple[str, datetime.date | None]], next_evaluation: datetime.date | None) -> list[str]:
    """The actions to take, each with its last day, and the next evaluatiemoment: as a decision's
    explanation and an actielijst show them."""
    lines = ["", render("uitleg-acties", {})]
    for number, (text, due) in enumerate(actions, 1):
        by = f" ({render('uitleg-uiterlijk', {'datum': due.isoformat()})})" if due else ""
        lines.append(f"  {number}. {text}{by}")
    if not actions:
        lines.append("  " + render("uitleg-geen-acties", {}))
    if next_evaluation:
        lines += ["", render("uitleg-evaluatie", {"datum": next_evaluation.isoformat()})]
    return lines
