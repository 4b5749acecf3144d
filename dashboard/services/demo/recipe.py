"""Read the demo-data recipe (data/demo/recipe.yaml) into typed values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dashboard.config import DATA_DIR

RECIPE_PATH = DATA_DIR / "demo" / "recipe.yaml"


class DemoDataError(ValueError):
    """The demo data cannot be generated; the message says why and what to do."""


@dataclass(frozen=True)
class Params:
    """One section of the recipe, with typed accessors that name the missing key."""

    data: Mapping[Any, Any]
    where: str

    def _get(self, key: str) -> Any:
        if key.isdigit() and key not in self.data and int(key) in self.data:
            return self.data[int(key)]  # YAML reads "1:" as the integer 1
        if key not in self.data:
            raise DemoDataError(f"Recette de démonstration : clé « {self.where}.{key} » absente.")
        return self.data[key]

    def section(self, key: str) -> Params:
        """Return a nested section."""
        return Params(self._get(key), f"{self.where}.{key}")

    def number(self, key: str) -> float:
        """Return a number."""
        return float(self._get(key))

    def text(self, key: str) -> str:
        """Return a string."""
        return str(self._get(key))

    def pair(self, key: str) -> tuple[float, float]:
        """Return a [low, high] range."""
        low, high = self._get(key)
        return float(low), float(high)

    def day(self, key: str) -> date:
        """Return a date."""
        value = self._get(key)
        return value if isinstance(value, date) else date.fromisoformat(str(value))

    def weights(self, key: str) -> dict[int, float]:
        """Return a mapping of integer keys (axis numbers, years) to weights."""
        return {int(k): float(v) for k, v in self._get(key).items()}

    def texts(self, key: str) -> list[str]:
        """Return a list of strings."""
        return [str(item) for item in self._get(key)]

    def classes(self, key: str) -> list[tuple[float, tuple[float, float]]]:
        """Return a list of (share, [low, high]) classes."""
        return [
            (float(item["share"]), (float(item["range"][0]), float(item["range"][1])))
            for item in self._get(key)
        ]


@dataclass(frozen=True)
class CatalogueEntry:
    """A kind of indicator the demo may give a CTI."""

    key: str
    axis: int
    label: str
    unit: str
    baseline_measure: str
    direction: str = "higher"
    always: bool = False
    network_metric: str = ""
    baseline: tuple[float, float] = (0.0, 0.0)
    growth: tuple[float, float] | None = None
    target: tuple[float, float] | None = None
    decimals: int = 0
    scaled: bool = True
    like_for_like: bool = True


@dataclass(frozen=True)
class Recipe:
    """The whole recipe: CTI sizes, the indicator catalogue and the other sections."""

    params: Params
    cti_sizes: dict[str, float]
    catalogue: tuple[CatalogueEntry, ...]


def _pair(value: Any) -> tuple[float, float] | None:
    return None if value is None else (float(value[0]), float(value[1]))


def _entry(item: Mapping[str, Any]) -> CatalogueEntry:
    try:
        return CatalogueEntry(
            key=str(item["key"]),
            axis=int(item["axis"]),
            label=str(item["label"]),
            unit=str(item["unit"]),
            baseline_measure=str(item.get("baseline_measure", "")),
            direction=str(item.get("direction", "higher")),
            always=bool(item.get("always", False)),
            network_metric=str(item.get("network_metric", "")),
            baseline=_pair(item.get("baseline")) or (0.0, 0.0),
            growth=_pair(item.get("growth")),
            target=_pair(item.get("target")),
            decimals=int(item.get("decimals", 0)),
            scaled=bool(item.get("scaled", True)),
            like_for_like=bool(item.get("like_for_like", True)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoDataError(f"Recette de démonstration : indicateur mal décrit {item!r}") from exc


def load_recipe(path: Path = RECIPE_PATH) -> Recipe:
    """Read the recipe file, saying which file or key is wrong when it cannot be used."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoDataError(f"Recette de démonstration illisible : {path} ({exc})") from exc
    if not isinstance(data, dict):
        raise DemoDataError(f"Recette de démonstration vide ou mal formée : {path}")
    params = Params(data, "recipe")
    sizes = {str(k): float(v) for k, v in params.data.get("cti_sizes", {}).items()}
    catalogue = tuple(_entry(item) for item in params.data.get("catalogue", []))
    if not any(entry.always for entry in catalogue):
        raise DemoDataError("Recette de démonstration : aucun indicateur « always » au catalogue.")
    return Recipe(params=params, cti_sizes=sizes, catalogue=catalogue)
