"""Checking a kaart over its whole fact space: what never happens, what contradicts, what is missing.

Every behavioural finding is decided exactly on the kaart's binary decision diagrams
(:mod:`ave_rules.symbolic`) and comes with a minimal example case: the fewest facts that differ
from their defaults. Findings are located in the kaart's file like load problems.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from .. import _terms as t
from .._messages import Phrase, shown
from ..engine import ActionKey, complete, limit_problems, reference_outcome, scenario_failures
from ..errors import Problem, RegiekaartError
from ..kaart import (
    Complete,
    DerivedTest,
    Exclusive,
    FactTest,
    Independent,
    LowerBound,
    Monotone,
    NormDocument,
    Property,
    Reference,
    Regiekaart,
    RoleHolder,
    RoleOnlyIf,
    Rule,
    SetFact,
    SharingProperty,
    TransitionTest,
    atoms,
    fact_values,
    read_norm,
)
from ._sharing import Found, SharingFindings
from ._symbolic import Function, SymbolicKaart

Severity = Literal["fout", "waarschuwing"]
SEVERITIES: dict[str, Severity] = {
    "regel-vuurt-nooit": "fout",
    "niveau-onbereikbaar": "fout",
    "casusregie-niet-een": "fout",
    "rol-zonder-houder": "fout",
    "monitoring-zonder-houder": "waarschuwing",
    "niveau-acties-tegenstrijdig": "fout",
    "scenario-wijkt-af": "fout",
    "eigenschap-geschonden": "fout",
    "norm-geschonden": "fout",
    "regel-altijd-overstemd": "waarschuwing",
    "regel-overbodig": "waarschuwing",
    "feit-ongebruikt": "waarschuwing",
    "afgeleid-feit-ongebruikt": "waarschuwing",
    "organisatie-ongebruikt": "waarschuwing",
    "extra-rol-ongebruikt": "waarschuwing",
    "actietype-ongebruikt": "waarschuwing",
    "protocol-ongebruikt": "waarschuwing",
    "niveau-zonder-evaluatiemoment": "waarschuwing",
    # gegevensdeling: errors where a declared property (soort: gegevensdeling) requires them
    "delen-zonder-grondslag": "waarschuwing",
    "delen-zonder-taak": "waarschuwing",
    "overdracht-zonder-gegevens": "waarschuwing",
    "afschalen-verruimt": "waarschuwing",
    "betrokkene-niet-geinformeerd": "waarschuwing",
    "processtap-ongebruikt": "waarschuwing",
    "categorie-ongebruikt": "waarschuwing",
    "grondslag-ongebruikt": "waarschuwing",
}


@dataclass(frozen=True)
class Finding:
    """One finding: where (as a located problem), how serious, which ids, and example cases."""

    problem: Problem
    severity: Severity
    ids: tuple[str, ...]
    example: dict[str, Any] | None = None  # a case, as the facts that differ from the defaults
    examples: tuple[dict[str, Any], ...] = field(default=())  # a pair, for a property of two cases
    norm: str | None = None  # the id of the norm whose property this finding is about

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def message(self) -> str:
        return self.problem.message

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {**self.problem.as_dict(), "severity": self.severity, "ids": list(self.ids)}
        if self.example is not None:
            found["example"] = self.example
        if self.examples:
            found["examples"] = list(self.examples)
        if self.norm is not None:
            found["norm"] = self.norm
        return found


@dataclass(frozen=True)
class Report:
    kaart: Regiekaart
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == "fout")

    @property
    def clean(self) -> bool:
        return not self.errors


def check(kaart: Regiekaart, norm: NormDocument | str | Path | None = None) -> Report:
    """Every finding about ``kaart``, in the order of the file; with ``norm`` (a norm read with
    :func:`ave_rules.kaart.read_norm`, or its file or the id of a bundled norm such as
    ``"landelijk-kader"``) also every property of the norm that the kaart does not have, located
    in the norm's file. Raises :class:`~ave_rules.RegiekaartError`, located in the norm's file,
    when the norm does not apply to the kaart or names what the kaart does not know."""
    if norm is not None and not isinstance(norm, NormDocument):
        norm = read_norm(norm)
    if norm is not None:
        problems = norm.problems_with(kaart)
        if problems:
            raise RegiekaartError(problems)
    checker = _Checker(kaart)
    findings = list(checker.findings())
    if norm is not None:
        findings.extend(_Properties(checker, norm.content.properties, _norm_finding(checker, norm)).violations())
    findings.sort(key=lambda f: (f.problem.file, f.problem.line, f.problem.column, f.code))
    return Report(kaart, tuple(findings))


#: Makes a finding: (code, path, ids, params, example/examples).
_Report = Callable[..., "Finding"]


def _norm_finding(checker: _Checker, norm: NormDocument) -> _Report:
    """A property of ``norm`` that does not hold, located in the norm's file."""

    def finding(
        code: str, path: tuple[str | int, ...], ids: tuple[str, ...], params: dict[str, Any], **extra: Any
    ) -> Finding:
        del code  # always the norm's own code
        params = {**params, "norm": norm.content.id, "kaart": checker.kaart.id, "versie": checker.kaart.version}
        problem = norm.source.problem("norm-geschonden", path, params)
        return Finding(problem, SEVERITIES["norm-geschonden"], ids, norm=norm.content.id, **extra)

    return finding


class _Checker:
    def __init__(self, kaart: Regiekaart) -> None:
        self.kaart = kaart
        self.symbolic = SymbolicKaart(kaart)
        self.space = self.symbolic.space
        self.false = self.space.bdd.false

    def never(self, cases: Any) -> bool:
        """Whether no case holds ``cases`` (assignments outside the facts' domains do not count)."""
        return bool(cases & self.space.domain == self.false)

    def finding(
        self, code: str, path: tuple[str | int, ...], ids: tuple[str, ...], params: dict[str, Any], **extra: Any
    ) -> Finding:
        return Finding(self.kaart.problem_at(code, path, params), SEVERITIES[code], ids, **extra)

    def findings(self) -> Iterator[Finding]:
        yield from self.rules()
        yield from self.levels()
        yield from self.unused()
        yield from self.contradictions()
        yield from self.properties()
        yield from self.sharing()
        for problem in scenario_failures(self.kaart):
            yield Finding(problem, "fout", (str(problem.params["id"]),))
        for problem in limit_problems(self.kaart):  # the reference evaluator decides past a limit
            yield Finding(problem, "waarschuwing", ())

    # --- rules ----------------------------------------------------------------------------------
    def rules(self) -> Iterator[Finding]:
        kaart, symbolic = self.kaart, self.symbolic
        for index, rule in enumerate(kaart.rules):
            fires = symbolic.fires[index]
            path = ("regels", index)
            if self.never(fires):
                yield self.finding("regel-vuurt-nooit", path, (rule.id,), {"id": rule.id})
                continue
            level = rule.conclusion.level
            if level is not None and self.never(fires & symbolic.level[level]):
                yield self.finding(
                    "regel-altijd-overstemd",
                    path,
                    (rule.id,),
                    {"id": rule.id, "niveau": level},
                    example=self.space.example(fires),
                )
            elif not self.matters(index):
                yield self.finding(
                    "regel-overbodig", path, (rule.id,), {"id": rule.id}, example=self.space.example(fires)
                )

    def matters(self, index: int) -> bool:
        """Whether some case's outcome depends on rule ``index`` having fired: something it
        derives, proposes or emits that no other rule does in that case."""
        symbolic, rule = self.symbolic, self.kaart.rules[index]
        fires = symbolic.fires[index]
        if rule.conclusion.level is not None:
            return True  # it decides the level somewhere (checked above)
        for name in rule.conclusion.derive:
            others = self.false
            for other_index, other in enumerate(self.kaart.rules):
                if other_index != index and name in other.conclusion.derive:
                    others |= symbolic.fires[other_index]
            if not self.never(fires & ~others):
                return True
        by_rule = symbolic.actions_by_rule
        for key, where in by_rule[index].items():
            others = self.false
            for other_index, emitted in enumerate(by_rule):
                if other_index != index and key in emitted:
                    others |= emitted[key]
            if not self.never(where & ~others):
                return True
        return False

    # --- levels ---------------------------------------------------------------------------------
    def levels(self) -> Iterator[Finding]:
        for index, level in enumerate(self.kaart.levels):
            path = ("niveaus", index)
            if self.never(self.symbolic.level[level.id]):
                yield self.finding("niveau-onbereikbaar", path, (level.id,), {"id": level.id})
            if level.closing is not None:
                # Below the lowest level the four AVE roles may be empty; monitoring needs someone.
                if level.closing == "monitoring" and not any(level.roles.holders(r) for r in self.kaart.role_ids):
                    yield self.finding("monitoring-zonder-houder", (*path, "rollen"), (level.id,), {"id": level.id})
                continue
            if len(level.roles.casusregie) != 1:
                yield self.finding(
                    "casusregie-niet-een",
                    (*path, "rollen", "casusregie"),
                    (level.id,),
                    {"id": level.id, "aantal": str(len(level.roles.casusregie))},
                )
            needed = ["operationele_verantwoordelijkheid", "bestuurlijke_verantwoordelijkheid"]
            if level.phase >= 3:
                needed.insert(0, "procesregie")
            for role in needed:
                if not level.roles.holders(role):
                    yield self.finding(
                        "rol-zonder-houder", (*path, "rollen", role), (level.id, role), {"id": level.id, "rol": role}
                    )
            # A kaart that states time at all says when the partners meet again wherever professionals
            # hold the case (from phase 2); at phase 1 the household holds it.
            if self.kaart.uses_time and level.phase >= 2 and level.evaluation is None:
                yield self.finding("niveau-zonder-evaluatiemoment", path, (level.id,), {"id": level.id})

    # --- vocabulary nobody uses ---------------------------------------------------------------
    def unused(self) -> Iterator[Finding]:
        kaart = self.kaart
        used = _Used(kaart)
        sections: list[tuple[str, str, list[str], set[str]]] = [
            ("feiten", "feit-ongebruikt", [f.id for f in kaart.facts], used.facts),
            ("afgeleide_feiten", "afgeleid-feit-ongebruikt", [d.id for d in kaart.derived_facts], used.derived),
            ("organisaties", "organisatie-ongebruikt", [o.id for o in kaart.organisations], used.organisations),
            ("extra_rollen", "extra-rol-ongebruikt", [r.id for r in kaart.extra_roles], used.extra_roles),
            ("actietypen", "actietype-ongebruikt", [a.id for a in kaart.action_types], used.action_types),
            ("protocollen", "protocol-ongebruikt", [p.id for p in kaart.protocols], used.protocols),
        ]
        for section, code, ids, seen in sections:
            for index, ident in enumerate(ids):
                if ident not in seen:
                    yield self.finding(code, (section, index), (ident,), {"id": ident})

    def properties(self) -> Iterator[Finding]:
        yield from _Properties(self).violations()

    @cached_property
    def sharing_found(self) -> list[Found]:
        return list(SharingFindings(self.kaart, self.symbolic).all())

    def sharing(self) -> Iterator[Finding]:
        """Gegevensdeling over every case (what the kaart's own gegevensdeling property requires
        is reported as that property's violation instead)."""
        required = {
            t.SHARING_REQUIREMENTS[requirement]
            for declared in self.kaart.properties
            if isinstance(declared, SharingProperty)
            for requirement in declared.requirements
        }
        for code, path, ids, params, where in self.sharing_found:
            example = None if where is None else self.space.example(where)
            if code not in required and (where is None or example is not None):
                yield self.finding(code, path, ids, params, example=example)

    # --- contradictions within one decision ----------------------------------------------------
    def contradictions(self) -> Iterator[Finding]:
        """Two actions in one decision that send the case to different levels."""
        kinds = {a.id: a.target for a in self.kaart.action_types}
        to_level = [
            (index, key, where)
            for index in range(len(self.kaart.rules))
            for key, where in self.symbolic.actions_by_rule[index].items()
            if kinds.get(key[0]) == "niveau"
        ]
        reported: set[tuple[int, ActionKey, int, ActionKey]] = set()
        for position, (first, first_key, first_where) in enumerate(to_level):
            for second, second_key, second_where in to_level[position:]:
                pair = (first, first_key, second, second_key)
                if first_key[1] == second_key[1] or pair in reported:
                    continue
                both = first_where & second_where & self.space.domain
                if both == self.false:
                    continue
                reported.add(pair)
                rules = self.kaart.rules
                yield self.finding(
                    "niveau-acties-tegenstrijdig",
                    ("regels", first),
                    (rules[first].id, rules[second].id),
                    {
                        "regel": rules[first].id,
                        "eerste": f"{first_key[0]} {first_key[1]}",
                        "andere": rules[second].id,
                        "tweede": f"{second_key[0]} {second_key[1]}",
                    },
                    example=self.space.example(both),
                )


class _Properties:
    """The kaart's declared properties, each checked over every case."""

    def __init__(
        self, checker: _Checker, declared: Sequence[Property] | None = None, report: _Report | None = None
    ) -> None:
        self.checker = checker
        self.kaart = checker.kaart
        self.symbolic = checker.symbolic
        self.space = checker.space
        self.bdd = checker.space.bdd
        self.declared = self.kaart.properties if declared is None else declared  # a norm's, or the kaart's
        self.report = report or checker.finding

    def violations(self) -> Iterator[Finding]:
        for index, declared in enumerate(self.declared):
            path = ("eigenschappen", index)
            if isinstance(declared, Monotone | Independent):
                for fact_id in declared.facts:
                    pair = self.changes_level(fact_id, only_worse=isinstance(declared, Monotone))
                    if pair is not None:
                        yield self.violated(
                            declared,
                            path,
                            "detail-monotoon" if isinstance(declared, Monotone) else "detail-onafhankelijk",
                            fact_id,
                            pair,
                        )
            elif isinstance(declared, LowerBound):
                where = self.symbolic.condition(declared.condition) & ~self.symbolic.at_least(declared.level)
                yield from self.single(declared, path, where, Phrase("detail-ondergrens", grens=declared.level))
            elif isinstance(declared, Exclusive):
                emitted = dict.fromkeys(declared.action_types, self.bdd.false)
                for key, where in self.symbolic.actions.items():
                    if key[0] in emitted:
                        emitted[key[0]] |= where
                for first, second in itertools.combinations(declared.action_types, 2):
                    both = emitted[first] & emitted[second]
                    yield from self.single(
                        declared, path, both, Phrase("detail-uitsluiting", eerste=first, tweede=second)
                    )
            elif isinstance(declared, RoleHolder | RoleOnlyIf):
                yield from self.role(declared, path)
            elif isinstance(declared, SharingProperty):
                wanted = {t.SHARING_REQUIREMENTS[requirement] for requirement in declared.requirements}
                for code, _, _, params, where in self.checker.sharing_found:
                    if code in wanted and where is not None:
                        yield from self.single(declared, path, where, Phrase(code, **params))
            elif isinstance(declared, Complete):
                proposed = self.bdd.false
                for cases in self.symbolic.proposals.values():
                    proposed |= cases
                yield from self.single(declared, path, ~proposed, Phrase("detail-volledig"))

    def single(self, declared: Property, path: tuple[str | int, ...], where: Any, detail: Phrase) -> Iterator[Finding]:
        example = self.space.example(where)
        if example is not None:
            params = {"id": declared.id, "soort": declared.kind, "detail": detail}
            yield self.report("eigenschap-geschonden", path, (declared.id,), params, example=example)

    def role(self, declared: RoleHolder | RoleOnlyIf, path: tuple[str | int, ...]) -> Iterator[Finding]:
        """``rol``: where the condition holds, the organisation holds the role on the decided level;
        ``rol_alleen_als``: it holds the role there only where the condition holds."""
        condition, held = self.symbolic.condition(declared.condition), self.held(declared.role, declared.organisation)
        holder = isinstance(declared, RoleHolder)
        example = self.space.example(condition & ~held if holder else held & ~condition)
        if example is not None:
            level = self.outcome_level(example)
            detail = Phrase(
                "detail-rol" if holder else "detail-rol-alleen-als",
                organisatie=declared.organisation,
                rol=declared.role,
                niveau=level,
                houders=", ".join(self.kaart.level_by_id[level].roles.holders(declared.role)) or "-",
            )
            params = {"id": declared.id, "soort": declared.kind, "detail": detail}
            yield self.report("eigenschap-geschonden", path, (declared.id,), params, example=example)

    def held(self, role: str, organisation: str) -> Function:
        """The cases decided on a level where ``organisation`` holds ``role``."""
        where = self.bdd.false
        for level in self.kaart.levels:
            if organisation in level.roles.holders(role):
                where |= self.symbolic.level[level.id]
        return where

    def violated(
        self,
        declared: Property,
        path: tuple[str | int, ...],
        detail: str,
        fact_id: str,
        pair: tuple[dict[str, Any], ...],
    ) -> Finding:
        before, after = (self.outcome_level(case) for case in pair)
        phrase = Phrase(
            detail,
            feit=fact_id,
            van=shown(pair[0].get(fact_id, self.kaart.defaults[fact_id])),
            naar=shown(pair[1].get(fact_id)),
            voor=before,
            na=after,
        )
        params = {"id": declared.id, "soort": declared.kind, "detail": phrase}
        return self.report("eigenschap-geschonden", path, (declared.id, fact_id), params, examples=pair)

    def outcome_level(self, case: dict[str, Any]) -> str:
        full, _ = complete(self.kaart, case)
        return reference_outcome(self.kaart, full).level

    def changes_level(self, fact_id: str, *, only_worse: bool) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Two cases that differ only in ``fact_id`` and get different levels (for a monotone
        property: the second is worse and gets a lower level), or None."""
        for before, after in self.steps(fact_id, only_worse=only_worse):
            for level in self.kaart.level_ids[1:] if only_worse else self.kaart.level_ids:
                decided = self.symbolic.at_least(level) if only_worse else self.symbolic.level[level]
                differs = self.bdd.let(before, decided) & ~self.bdd.let(after, decided)
                example = self.space.example(differs)
                if example is not None:
                    return self.pair(fact_id, example, before, after)
        return None

    def steps(self, fact_id: str, *, only_worse: bool) -> Iterator[tuple[dict[str, bool], dict[str, bool]]]:
        fact, space = self.kaart.fact_by_id[fact_id], self.space
        if isinstance(fact, SetFact):
            for member in fact.values:
                off, on = space.member_setting(fact_id, member, False), space.member_setting(fact_id, member, True)
                yield off, on
                if not only_worse:
                    yield on, off
            return
        values = space.values(fact_id)
        pairs = itertools.pairwise(values) if only_worse else itertools.permutations(values, 2)
        for low, high in pairs:
            yield space.setting(fact_id, low), space.setting(fact_id, high)

    def pair(
        self, fact_id: str, example: dict[str, Any], before: dict[str, bool], after: dict[str, bool]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The example with the fact as in ``before`` and as in ``after``."""
        cases = []
        for setting in (before, after):
            point = {**self.space.point(complete(self.kaart, example)[0]), **setting}
            case = self.space.decode(self.space.bdd.cube(point), only_changed=True)
            case.setdefault(fact_id, shown_default(self.kaart, fact_id))
            cases.append(case)
        return cases[0], cases[1]


def shown_default(kaart: Regiekaart, fact_id: str) -> bool | str | list[str]:
    default = kaart.defaults[fact_id]
    if isinstance(default, frozenset):  # a set fact's members, in the kaart's order
        order = fact_values(kaart.fact_by_id[fact_id], kaart.level_ids)
        return [value for value in order if isinstance(value, str) and value in default]
    return default


class _Used:
    """The ids that rules, levels and each other refer to."""

    def __init__(self, kaart: Regiekaart) -> None:
        self.facts: set[str] = set()
        self.derived: set[str] = set()
        self.organisations: set[str] = set()
        self.action_types: set[str] = set()
        self.protocols: set[str] = set()
        self.extra_roles: set[str] = set()  # held by someone on some level
        for level in kaart.levels:
            for role in kaart.role_ids:
                self.organisations.update(level.roles.holders(role))
                if role not in t.ROLES and level.roles.holders(role):
                    self.extra_roles.add(role)
            self.protocols.update(level.protocols)
        for rule in kaart.rules:
            for atom in atoms(rule.condition):
                if isinstance(atom, FactTest):
                    self.facts.add(atom.fact)
                elif isinstance(atom, DerivedTest):
                    self.derived.add(atom.derived)
            for spec in rule.conclusion.actions:
                self.action_types.add(spec.type)
                for reference in (spec.target, spec.source):
                    if isinstance(reference, str):
                        self.organisations.add(reference)
                        self.protocols.add(reference)
        phase = kaart.phase_fact
        if phase is not None and any(_uses_current_level(rule) for rule in kaart.rules):
            self.facts.add(phase.id)


def _uses_current_level(rule: Rule) -> bool:
    """Whether a rule looks at the phase fact through ``overgang`` or ``{niveau: huidig}``."""
    references = [ref for spec in rule.conclusion.actions for ref in (spec.target, spec.source)]
    if any(isinstance(ref, Reference) and ref.level == "huidig" for ref in references):
        return True
    return any(isinstance(atom, TransitionTest) for atom in atoms(rule.condition))
