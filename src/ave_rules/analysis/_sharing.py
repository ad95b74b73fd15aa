"""Gegevensdeling checked over every case: grounds, need-to-know, hand-overs, afschalen, informing.

Steps and parties mean what :mod:`ave_rules.kaart._sharing` says they mean in a decision; here
each finding is decided on the kaart's decision diagrams and comes with a minimal example case.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import _terms as t
from .._messages import Phrase
from ..kaart import LevelSharing, Regiekaart, ShareSpec, applied_steps, resolve, role_holders

Function = Any  # a dd BDD node
#: (code, path in the kaart, ids, message parameters, the cases where it happens; None for a
#: finding about the kaart's words rather than its cases)
Found = tuple[str, tuple[str | int, ...], tuple[str, ...], dict[str, Any], Function | None]


class SharingFindings:
    """The gegevensdeling findings of one kaart, from its symbolic form (``symbolic``)."""

    def __init__(self, kaart: Regiekaart, symbolic: Any) -> None:
        self.kaart = kaart
        self.symbolic = symbolic
        self.bdd = symbolic.bdd
        self.ladder = kaart.level_ids
        self.moments = {step.id: step.moment for step in kaart.process_steps}

    def all(self) -> Iterator[Found]:
        if not self.kaart.shares_information:
            yield from self.unused()
            return
        yield from self.grounds()
        yield from self.need_to_know()
        yield from self.hand_overs()
        yield from self.narrowing()
        yield from self.informing()
        yield from self.unused()

    # --- where a step applies -------------------------------------------------------------------
    def entering(self, level: str) -> Function:
        """Cases decided on ``level`` that are new or scaled up to it."""
        below = [None, *self.ladder[: self.ladder.index(level)]]
        return self.symbolic.level[level] & _any(self.bdd, [self.at(current) for current in below])

    def at(self, current: str | None) -> Function:
        """Cases at ``current`` (None: new); a kaart without a phase fact has only new cases."""
        return self.symbolic.current.get(current, self.bdd.false)

    def applies(self, owner: str, step_id: str, decided: str) -> Function:
        """Cases decided on ``decided`` in which step ``step_id`` of level ``owner`` applies."""
        moment = self.moments.get(step_id)
        if moment == "uitstroom":  # ``decided`` is below ``owner`` (see decided_levels)
            return self.symbolic.level[decided] & self.at(owner)
        if decided != owner:
            return self.bdd.false
        return self.entering(owner) if moment == "instroom" else self.symbolic.level[owner]

    def decided_levels(self, owner: str, step_id: str) -> list[str]:
        if self.moments.get(step_id) == "uitstroom":
            return list(self.ladder[: self.ladder.index(owner)])
        return [owner]

    def shares(self) -> Iterator[tuple[int, str, str, int, ShareSpec, LevelSharing]]:
        """(level index, level id, step id, share index, share, level gegevensdeling) per share."""
        for index, level in enumerate(self.kaart.levels):
            if level.sharing is None:
                continue
            for step_id, step in level.sharing.steps.items():
                for share_index, share in enumerate(step.shares):
                    yield index, level.id, step_id, share_index, share, level.sharing

    def with_action_of(self, organisation: str) -> Function:
        """Cases whose decision has an action with ``organisation`` as its target or source."""
        return _any(
            self.bdd, [where for key, where in self.symbolic.actions.items() if organisation in (key[1], key[2])]
        )

    # --- the findings -----------------------------------------------------------------------------
    def grounds(self) -> Iterator[Found]:
        for index, level_id, step_id, share_index, share, sharing in self.shares():
            if share.ground is None and sharing.ground is None:
                where = _any(
                    self.bdd, [self.applies(level_id, step_id, m) for m in self.decided_levels(level_id, step_id)]
                )
                path = ("niveaus", index, "gegevensdeling", "stappen", step_id, "delen", share_index)
                yield "delen-zonder-grondslag", path, (level_id, step_id), {"niveau": level_id, "stap": step_id}, where

    def need_to_know(self) -> Iterator[Found]:
        reported: set[tuple[str, str, int, str]] = set()
        for index, level_id, step_id, share_index, share, _ in self.shares():
            for offset, party in enumerate(share.recipients):
                if party in t.SPECIAL_PARTIES:
                    continue  # the inbrenger brought the case in; the deelnemers have something to do
                for decided in self.decided_levels(level_id, step_id):
                    for organisation in resolve(self.kaart, party, decided, ()):
                        if organisation in role_holders(self.kaart, decided):
                            continue
                        if (level_id, step_id, share_index, organisation) in reported:
                            continue
                        where = self.applies(level_id, step_id, decided) & ~self.with_action_of(organisation)
                        if where & self.symbolic.space.domain == self.bdd.false:  # no real case
                            continue
                        reported.add((level_id, step_id, share_index, organisation))
                        path = (
                            "niveaus",
                            index,
                            "gegevensdeling",
                            "stappen",
                            step_id,
                            "delen",
                            share_index,
                            "met",
                            offset,
                        )
                        params = {"organisatie": organisation, "niveau": decided, "stap": step_id}
                        yield "delen-zonder-taak", path, (level_id, step_id, organisation), params, where

    def hand_overs(self) -> Iterator[Found]:
        kinds = {kind.id: index for index, kind in enumerate(self.kaart.action_types) if kind.hand_over}
        for key, emitted in self.symbolic.actions.items():
            kind, target, _ = key
            if kind not in kinds or target is None:
                continue
            silent = []
            for decided in self.ladder:
                for current in self.symbolic.current:
                    if self._receives(target, decided, current) is False:
                        silent.append(self.symbolic.level[decided] & self.at(current))
            where = emitted & _any(self.bdd, silent)
            params = {"actie": kind, "organisatie": target}
            yield "overdracht-zonder-gegevens", ("actietypen", kinds[kind]), (kind, target), params, where

    def _receives(self, organisation: str, decided: str, current: str | None) -> bool | None:
        """Whether ``organisation`` may receive something in a decision on ``decided`` for a case at
        ``current`` (as a party, a role holder or a deelnemer); None where no gegevensdeling applies."""
        steps = list(applied_steps(self.kaart, decided, current))
        if not steps and self.kaart.level_by_id[decided].sharing is None:
            return None
        return any(
            party == "deelnemers" or organisation in resolve(self.kaart, party, decided, ())
            for _, _, _, step in steps
            for share in step.shares
            for party in share.recipients
        )

    def narrowing(self) -> Iterator[Found]:
        flows = {level.id: self._flows(level.id) for level in self.kaart.levels if level.sharing is not None}
        for index, level in enumerate(self.kaart.levels):
            if level.id not in flows:
                continue
            for higher in self.ladder[self.ladder.index(level.id) + 1 :]:
                if higher not in flows:
                    continue
                wider = sorted(flows[level.id] - flows[higher])
                if not wider:
                    continue
                category, organisation = wider[0]
                where = self.symbolic.level[level.id] & self.at(higher)
                params = {"van": higher, "naar": level.id, "categorie": category, "organisatie": organisation}
                path = ("niveaus", index, "gegevensdeling")
                yield "afschalen-verruimt", path, (higher, level.id), params, where

    def _flows(self, level: str) -> set[tuple[str, str]]:
        """(category, organisation) pairs the level lets flow while the case is on it (the
        deelnemers as the level's role holders, the inbrenger as itself)."""
        sharing = self.kaart.level_by_id[level].sharing
        holders = role_holders(self.kaart, level)
        flows: set[tuple[str, str]] = set()
        for step_id, step in sharing.steps.items() if sharing else ():
            if self.moments.get(step_id) == "uitstroom":
                continue
            for share in step.shares:
                for party in share.recipients:
                    for organisation in resolve(self.kaart, party, level, holders) or (party,):
                        flows.update((category, organisation) for category in share.categories)
        return flows

    def informing(self) -> Iterator[Found]:
        for index, level in enumerate(self.kaart.levels):
            sharing = level.sharing
            if sharing is None:
                continue
            path: tuple[str | int, ...] = ("niveaus", index, "gegevensdeling")
            params = {"niveau": level.id}
            if sharing.informing is None:
                yield (
                    "betrokkene-niet-geinformeerd",
                    path,
                    (level.id,),
                    {**params, "hoe": Phrase("geen-afspraak")},
                    self.entering(level.id),
                )
                continue
            spec = sharing.informing
            informed = _any(self.bdd, [where for key, where in self.symbolic.actions.items() if key[0] == spec.action])
            where = self.entering(level.id) & self.symbolic.condition(spec.due) & ~informed
            yield (
                "betrokkene-niet-geinformeerd",
                (*path, "betrokkene_informeren"),
                (level.id,),
                {**params, "hoe": Phrase("geen-actie")},
                where,
            )

    def unused(self) -> Iterator[Found]:
        used_categories: set[str] = set()
        used_grounds: set[str] = set()
        used_steps: set[str] = set()
        for level in self.kaart.levels:
            if level.sharing is None:
                continue
            used_categories.update(level.sharing.circulated)
            used_grounds.update([level.sharing.ground] if level.sharing.ground else [])
            for step_id, step in level.sharing.steps.items():
                used_steps.add(step_id)
                for share in step.shares:
                    used_categories.update(share.categories)
                    used_grounds.update([share.ground] if share.ground else [])
        for section, code, used in (
            ("processtappen", "processtap-ongebruikt", used_steps),
            ("informatiecategorieen", "categorie-ongebruikt", used_categories),
            ("grondslagen", "grondslag-ongebruikt", used_grounds),
        ):
            for index, item in enumerate(self.kaart.section(section)):
                if item.id not in used:
                    yield code, (section, index), (item.id,), {"id": item.id}, None


def _any(bdd: Any, functions: list[Function]) -> Function:
    result = bdd.false
    for function in functions:
        result |= function
    return result
