"""The Chinese warning levels (data/levels.json): Ⅰ red .. Ⅳ blue, and the CAP severity of each."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.errors import InvalidArgument


@dataclass(frozen=True)
class Level:
    level: int
    roman: str
    colour: str
    name: str
    severity: str
    aliases: tuple[str, ...]


class Levels:
    def __init__(self, data: dict):
        self.levels = [
            Level(d["level"], d["roman"], d["colour"], d["name"], d["severity"], tuple(d["aliases"]))
            for d in data["levels"]
        ]

    def by_number(self, n: int) -> Level:
        for lv in self.levels:
            if lv.level == n:
                return lv
        raise InvalidArgument(f"level must be 1..{len(self.levels)}", {"level": "unknown level"})

    def from_feed(self, raw: str) -> Level | None:
        """A feed's severity: a colour, a level (Ⅰ..Ⅳ), or a Chinese name; None if it is a CAP severity."""
        key = raw.strip().lower().removesuffix("预警").removesuffix("级")
        for lv in self.levels:
            if key in {a.lower() for a in lv.aliases}:
                return lv
        return None

    def by_severity(self, severity: str) -> Level | None:
        return next((lv for lv in self.levels if lv.severity == severity), None)
