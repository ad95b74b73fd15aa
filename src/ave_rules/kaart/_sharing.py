"""Gegevensdeling in a decision: which steps of which levels apply, and who the parties are.

Both the engine (what a decision says may be shared) and the analysis (what ``ave-rules check``
proves over every case) read a kaart's gegevensdeling through these functions, so they agree on
its meaning (``docs/semantics.md``, gegevensdeling):

* a decision on level L applies L's steps with moment ``op_niveau``, and those with moment
  ``instroom`` when the case is new or scaled up to L; on afschalen from level C it also applies
  C's ``uitstroom`` steps;
* a role names its holders on the decided level (for an ``uitstroom`` step: the level scaled
  down to); ``deelnemers`` are the organisations with a role on that level or an action in the
  decision; ``inbrenger`` is the partner that brought the case in, not an organisation on the kaart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ._decision import Informing, Share, Sharing
from ._model import LevelSharing, Regiekaart, StepSharing

#: (level id, its gegevensdeling, step id, step) for each step that applies to a decision.
AppliedStep = tuple[str, LevelSharing, str, StepSharing]


def applied_steps(kaart: Regiekaart, level: str, current: str | None) -> Iterator[AppliedStep]:
    """The process steps that apply to a decision on ``level`` for a case at ``current``."""
    moments = {step.id: step.moment for step in kaart.process_steps}
    ladder = kaart.level_ids
    entering = current is None or ladder.index(level) > ladder.index(current)
    wanted = ("op_niveau", "instroom") if entering else ("op_niveau",)
    sharing = kaart.level_by_id[level].sharing
    if sharing is not None:
        yield from (
            (level, sharing, step_id, step) for step_id, step in sharing.steps.items() if moments[step_id] in wanted
        )
    if current is not None and ladder.index(level) < ladder.index(current):
        left = kaart.level_by_id[current].sharing
        if left is not None:
            yield from (
                (current, left, step_id, step)
                for step_id, step in left.steps.items()
                if moments[step_id] == "uitstroom"
            )


def role_holders(kaart: Regiekaart, level: str) -> tuple[str, ...]:
    """Organisations with some role on ``level``, in the kaart's order."""
    roles = kaart.level_by_id[level].roles
    held = {holder for role in kaart.role_ids for holder in roles.holders(role)}
    return tuple(organisation.id for organisation in kaart.organisations if organisation.id in held)


def resolve(kaart: Regiekaart, party: str, level: str, participants: Iterable[str]) -> tuple[str, ...]:
    """The organisations ``party`` stands for in a decision on ``level`` with ``participants``."""
    if party in kaart.role_ids:
        return kaart.level_by_id[level].roles.holders(party)
    if party == "deelnemers":
        return tuple(participants)
    if party == "inbrenger":
        return ()
    return (party,)


def participants(kaart: Regiekaart, level: str, organisations_in_actions: Iterable[str | None]) -> tuple[str, ...]:
    """The deelnemers of a decision: organisations with a role on ``level`` or in one of its actions."""
    present = set(role_holders(kaart, level)) | set(organisations_in_actions)
    return tuple(organisation.id for organisation in kaart.organisations if organisation.id in present)


def decision_sharing(
    kaart: Regiekaart, level: str, current: str | None, organisations_in_actions: Iterable[str | None]
) -> tuple[Sharing, ...]:
    """What the kaart's gegevensdeling permits in a decision on ``level`` for a case at ``current``."""
    present = participants(kaart, level, organisations_in_actions)
    decided = kaart.level_by_id[level].sharing
    by_level: dict[str, tuple[LevelSharing, list[Share]]] = {level: (decided, [])} if decided else {}
    for owner, spec, step_id, step in applied_steps(kaart, level, current):
        for share in step.shares:
            recipients = (found for party in share.recipients for found in resolve(kaart, party, level, present))
            by_level.setdefault(owner, (spec, []))[1].append(
                Share(
                    level=owner,
                    step=step_id,
                    categories=share.categories,
                    sender=share.sender or spec.controller,
                    recipients=share.recipients,
                    organisations=tuple(dict.fromkeys(recipients)),
                    ground=share.ground or spec.ground,
                )
            )
    result = []
    for owner, (spec, shares) in by_level.items():
        informing = spec.informing
        result.append(
            Sharing(
                level=owner,
                controller=spec.controller,
                controller_organisations=resolve(kaart, spec.controller, level, present),
                circulated=spec.circulated,
                informing=Informing(moment=informing.moment, exceptions=informing.exceptions) if informing else None,
                shares=tuple(shares),
            )
        )
    return tuple(result)


def may_receive(sharing: tuple[Sharing, ...], organisation: str) -> tuple[str, ...] | None:
    """The categories ``organisation`` may receive under ``sharing``; None where no level's applies."""
    if not sharing:
        return None
    found = (
        category
        for level in sharing
        for share in level.shares
        if organisation in share.organisations
        for category in share.categories
    )
    return tuple(dict.fromkeys(found))
