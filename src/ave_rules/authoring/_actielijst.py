"""The actielijst: what a casusoverleg circulates after a decision. Who holds the regie, what is
to be done and by when, and when the partners meet again; never a fact of the case, nor the
rules or derived facts that would show them, so that it can go to every partner."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field

from .._messages import render
from ..kaart import Decision, KaartRef, Regiekaart
from ._explain import to_do
from ._render import _e, _label, _page

#: The roles an actielijst names: who leads the case and who the cooperation.
REGIE = ("casusregie", "procesregie")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActielijstItem(_Frozen):
    text: str = Field(description="what is to be done, as the kaart says it")
    type: str = Field(description="id of the action type")
    target: str | None = Field(description="level, organisation or protocol id it is aimed at")
    due: datetime.date | None = Field(description="the last day, by the action type's termijn")


class Actielijst(_Frozen):
    """The actions of one decision, fit to circulate: no case fact in it."""

    kaart: KaartRef
    reference_date: datetime.date = Field(description="the peildatum the termijnen count from")
    level: str
    level_name: str
    regie: dict[str, tuple[str, ...]] = Field(description="organisation ids holding casusregie and procesregie")
    actions: tuple[ActielijstItem, ...]
    next_evaluation: datetime.date | None


def actielijst(kaart: Regiekaart, decision: Decision) -> Actielijst:
    """The actielijst of ``decision``, made with ``kaart`` (the kaart that decided it)."""
    return Actielijst(
        kaart=decision.kaart,
        reference_date=decision.reference_date,
        level=decision.level,
        level_name=kaart.level_by_id[decision.level].name,
        regie={role: tuple(decision.roles[role]) for role in REGIE},
        actions=tuple(
            ActielijstItem(text=action.text, type=action.type, target=action.target, due=action.due)
            for action in decision.actions
        ),
        next_evaluation=decision.next_evaluation,
    )


def actielijst_text(kaart: Regiekaart, lijst: Actielijst) -> str:
    """The actielijst as plain text, in the language of the messages."""
    lines = [
        render("weergave-actielijst-titel", {"naam": kaart.name, "versie": lijst.kaart.version}),
        render("weergave-actielijst-niveau", {"niveau": lijst.level, "naam": lijst.level_name}),
        render("weergave-actielijst-peildatum", {"datum": lijst.reference_date.isoformat()}),
        "",
    ]
    for role in REGIE:
        names = ", ".join(kaart.name_of(ident) for ident in lijst.regie[role]) or "-"
        lines.append(f"{render(f'weergave-rol-{role}', {})}: {names}")
    lines += to_do([(item.text, item.due) for item in lijst.actions], lijst.next_evaluation)
    return "\n".join(lines) + "\n"


def render_actielijst_html(kaart: Regiekaart, lijst: Actielijst) -> str:
    """The actielijst as one self-contained page, printable on A4."""
    title = render("weergave-actielijst-titel", {"naam": kaart.name, "versie": lijst.kaart.version})
    regie = "".join(
        f"<div><dt>{_label(f'weergave-rol-{role}')}:</dt>"
        f"<dd>{_e(', '.join(kaart.name_of(ident) for ident in lijst.regie[role]) or '-')}</dd></div>"
        for role in REGIE
    )
    items = "".join(
        f"<li>{_e(item.text)}"
        + (
            f' <time datetime="{item.due}">({_label("uitleg-uiterlijk", {"datum": str(item.due)})})</time>'
            if item.due
            else ""
        )
        + "</li>"
        for item in lijst.actions
    )
    sections = [
        f"<h1>{_e(title)}</h1>",
        f"<p>{_label('weergave-actielijst-niveau', {'niveau': lijst.level, 'naam': lijst.level_name})}</p>",
        f"<p>{_label('weergave-actielijst-peildatum', {'datum': str(lijst.reference_date)})}</p>",
        f'<dl class="meta">{regie}</dl>',
        f"<h2>{_label('weergave-te-doen')}</h2>",
        f"<ol>{items}</ol>" if items else f"<p>{_label('weergave-geen-acties')}</p>",
    ]
    if lijst.next_evaluation:
        day = lijst.next_evaluation
        sections.append(f'<p><time datetime="{day}">{_label("uitleg-evaluatie", {"datum": str(day)})}</time></p>')
    return _page(title, "\n".join(sections), paper="A4 portrait")
