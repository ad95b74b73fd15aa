"""A kaart that extends another (``breidt_uit``) overrides only what differs.

Merging rules, per inherited section (facts, derived facts, levels, organisations, action
types, protocols, rules):

* an item whose id the base kaart has replaces the fields it names; ``rollen`` of a level
  is merged role by role, its ``gegevensdeling`` key by key and that one's ``stappen`` step by
  step; everything else it does not name is inherited;
* ``vervalt: true`` removes the base kaart's item;
* a new item is added at the end (a new level after the last level of its phase).

Identity (id, naam, versie, dates, gemeenten) and scenarios are the extending kaart's own.
The merged document remembers where each value came from, so problems point into the
right file, and whether each item is inherited, overridden or new (:class:`Origin`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import _terms as t
from .._messages import Params, Phrase, closest
from ..errors import Problem
from ._yaml import Locator, Path

OriginKind = Literal["own", "inherited", "overridden", "new"]


@dataclass(frozen=True)
class Origin:
    """Where an item of a loaded kaart comes from.

    ``kind`` is ``own`` in a kaart that extends none; otherwise ``inherited`` (taken unchanged
    from the base kaart), ``overridden`` (in the base kaart, with fields this kaart sets) or
    ``new`` (only in this kaart). ``base`` is the id of the kaart extended (``breidt_uit``);
    ``changed`` lists the fields an overriding item sets, a level's roles as ``rollen.<rol>``.
    """

    kind: OriginKind
    base: str | None = None
    changed: tuple[str, ...] = ()

    def of_field(self, name: str) -> Origin:
        """The origin of one field (``naam``, ``rollen.procesregie``) of this item."""
        if self.kind != "overridden":
            return self
        if name in self.changed or any(changed.startswith(f"{name}.") for changed in self.changed):
            return self
        return Origin("inherited", self.base)


OWN = Origin("own")


@dataclass
class Provenance:
    """Per inherited section, the origin of each item by id, and the ids of lapsed items."""

    base: str
    items: dict[tuple[str, str], Origin] = field(default_factory=dict)
    lapsed: dict[str, tuple[str, ...]] = field(default_factory=dict)


class MergedLocator:
    """Locates paths of a merged document in the files its values came from."""

    def __init__(self, default: Locator, base_id: str = "?") -> None:
        self._origins: dict[Path, tuple[Locator, Path]] = {(): (default, ())}
        self.provenance = Provenance(base_id)

    def set_origin(self, path: Path, locator: Locator, origin: Path) -> None:
        self._origins[path] = (locator, origin)

    def _origin(self, path: Path) -> tuple[Locator, Path]:
        for end in range(len(path), -1, -1):
            if path[:end] in self._origins:
                locator, origin = self._origins[path[:end]]
                return locator, (*origin, *path[end:])
        raise AssertionError("the empty path always has an origin")  # pragma: no cover

    def problem(self, code: str, path: Path, params: Params | None = None, *, at_key: bool = False) -> Problem:
        locator, origin = self._origin(path)
        return locator.problem(code, origin, params, at_key=at_key)

    def text(self, path: Path) -> str | None:
        locator, origin = self._origin(path)
        return locator.text(origin)


def merge(
    base: dict[str, Any], base_at: Locator, child: dict[str, Any], child_at: Locator
) -> tuple[dict[str, Any], MergedLocator, list[Problem]]:
    """``child`` applied on top of the (already resolved) ``base``."""
    base_id = str(base.get("id", "?"))
    merged = {key: value for key, value in child.items() if key not in t.INHERITED_SECTIONS}
    if "kalender" in base and "kalender" not in child:
        merged["kalender"] = base["kalender"]  # policy, unlike the kaart's identity: inherited as a whole
    at = MergedLocator(child_at, base_id)
    problems: list[Problem] = []
    for section in t.INHERITED_SECTIONS:
        items, section_problems = _merge_section(
            section, base_id, (base.get(section, []), base_at), (child.get(section, []), child_at), at
        )
        if items or section in base or section in child or section not in _LATER_SECTIONS:
            merged[section] = items
        problems.extend(section_problems)
    return merged, at, problems


#: Sections added to the format later: merged only where a kaart has them, so that the content
#: hash of a kaart without them (and its decision records) stays what it was.
_LATER_SECTIONS = ("extra_rollen",)


Items = tuple[Sequence[dict[str, Any]], Locator]


def _merge_section(
    section: str, base_id: str, base: Items, child: Items, at: MergedLocator
) -> tuple[list[dict[str, Any]], list[Problem]]:
    (base_items, base_at), (child_items, child_at) = base, child
    problems = list(_duplicate_overrides(section, child_items, child_at))
    # (item, [(field or (), origin locator, origin path)]) in the merged order
    result: list[tuple[dict[str, Any], list[tuple[Path, Locator, Path]]]] = [
        (dict(item), [((), base_at, (section, index))]) for index, item in enumerate(base_items)
    ]
    position = {item["id"]: index for index, (item, _) in enumerate(result)}
    removed: set[int] = set()
    for child_index, override in enumerate(child_items):
        origin = (section, child_index)
        if override.get("vervalt"):
            problems.extend(_lapse_problems(section, base_id, override, origin, position, child_at))
            if override["id"] in position:
                removed.add(position[override["id"]])
            continue
        if override["id"] in position:
            item, origins = result[position[override["id"]]]
            _override(item, origins, override, child_at, origin)
        else:
            new: tuple[dict[str, Any], list[tuple[Path, Locator, Path]]] = (dict(override), [((), child_at, origin)])
            insert_at = _insertion_point(section, override, [item for item, _ in result])
            result.insert(insert_at, new)
            position = {item["id"]: index for index, (item, _) in enumerate(result)}
    kept = [entry for index, entry in enumerate(result) if index not in removed]
    for index, (item, origins) in enumerate(kept):
        for key, locator, origin_path in origins:
            at.set_origin((section, index, *key), locator, origin_path)
        at.provenance.items[(section, str(item["id"]))] = _item_origin(origins, child_at, base_id)
    at.provenance.lapsed[section] = tuple(str(item["id"]) for index, (item, _) in enumerate(result) if index in removed)
    return [item for item, _ in kept], problems


def _item_origin(origins: Sequence[tuple[Path, Locator, Path]], child_at: Locator, base_id: str) -> Origin:
    (_, first_at, _), *overrides = origins
    if first_at is child_at:
        return Origin("new", base_id)
    if not overrides:
        return Origin("inherited", base_id)
    return Origin("overridden", base_id, tuple(".".join(str(part) for part in key) for key, _, _ in overrides))


def _override(
    item: dict[str, Any],
    origins: list[tuple[Path, Locator, Path]],
    override: dict[str, Any],
    child_at: Locator,
    origin: Path,
) -> None:
    for key, value in override.items():
        if key == "id":
            continue
        if key in _MERGED_BY_KEY and isinstance(item.get(key), dict) and isinstance(value, dict):
            item[key] = merged = dict(item[key])
            for name, part in value.items():
                inner = (key, name)
                if inner in _MERGED_BY_KEY and isinstance(merged.get(name), dict) and isinstance(part, dict):
                    merged[name] = {**merged[name], **part}
                    origins.extend(((*inner, step), child_at, (*origin, *inner, step)) for step in part)
                else:
                    merged[name] = part
                    origins.append((inner, child_at, (*origin, *inner)))
        else:
            item[key] = value
            origins.append(((key,), child_at, (*origin, key)))


#: Fields of an item (and fields within them) that an override merges key by key.
_MERGED_BY_KEY = {"rollen", "gegevensdeling", ("gegevensdeling", "stappen")}


def _insertion_point(section: str, item: dict[str, Any], items: Sequence[dict[str, Any]]) -> int:
    if section != "niveaus" or not isinstance(item.get("fase"), int):
        return len(items)
    later = [
        index
        for index, level in enumerate(items)
        if isinstance(level.get("fase"), int) and level["fase"] > item["fase"]
    ]
    return later[0] if later else len(items)


def _duplicate_overrides(section: str, items: Sequence[dict[str, Any]], at: Locator) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item["id"] in first:
            earlier = at.problem("dubbele-id", (section, first[item["id"]], "id"))
            yield at.problem(
                "dubbele-id",
                (section, index, "id"),
                {"soort": Phrase(t.SECTION_PHRASES[section]), "id": item["id"], "eerder": str(earlier.line)},
            )
        else:
            first[item["id"]] = index


def _lapse_problems(
    section: str, base_id: str, item: dict[str, Any], origin: Path, known: dict[str, int], at: Locator
) -> Iterator[Problem]:
    for key in item:
        if key not in ("id", "vervalt"):
            yield at.problem("vervalt-met-velden", (*origin, key), {"sleutel": key}, at_key=True)
    if item["id"] not in known:
        yield at.problem(
            "vervalt-onbekend",
            (*origin, "id"),
            {
                "soort": Phrase(t.SECTION_PHRASES[section]),
                "id": item["id"],
                "basis": base_id,
                "suggestie": closest(item["id"], known),
            },
        )
