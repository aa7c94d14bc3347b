"""The published delivery commitments (data/commitments.json, with the re-delivery of
data/channels.json and the levels of data/levels.json): what the standards handbook prints."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.domain.levels import Level


@dataclass(frozen=True)
class ChannelCommitment:
    code: str
    name: str
    commitment: str


@dataclass(frozen=True)
class DeliveryCommitments:
    reach_within_seconds: int
    reach_source: str
    approval: str
    channels: tuple[ChannelCommitment, ...]
    redeliver_after_seconds: float
    max_attempts: int
    levels: tuple[Level, ...]

    @classmethod
    def of(
        cls, data: dict, redeliver_after_seconds: float, max_attempts: int, levels: list[Level]
    ) -> DeliveryCommitments:
        if data["reach_within_seconds"] <= 0:
            raise ValueError("reach_within_seconds must be positive")
        return cls(
            int(data["reach_within_seconds"]),
            data.get("reach_source", ""),
            data.get("approval", ""),
            tuple(ChannelCommitment(c["code"], c["name"], c["commitment"]) for c in data["channels"]),
            redeliver_after_seconds,
            max_attempts,
            tuple(levels),
        )
