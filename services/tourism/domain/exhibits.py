"""A museum's galleries and their exhibits, each with its story, photo and audio guide. The texts
are data (services/tourism/data/<district>.exhibits.json); this module reads and checks them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from runtime.errors import NotFound
from tourism.domain.places import Places, check_id


@dataclass(frozen=True)
class Exhibit:
    id: str
    gallery_id: str
    name: str
    era: str
    story: str
    guide_text: str
    photo_url: str
    audio_url: str
    check: tuple[str, ...]
    photo_note: str = ""
    # Where the museum's own photograph and recorded guide go: file names in the gateway's media
    # folder, shown once the staff put them there (until then photo_url, audio_url).
    photo_file: str = ""
    audio_file: str = ""


@dataclass(frozen=True)
class Gallery:
    id: str
    name: str
    floor: int
    intro: str
    exhibits: tuple[Exhibit, ...]


@dataclass(frozen=True)
class Collection:
    """One venue's galleries, in the order a visitor walks them."""

    venue_id: str
    galleries: tuple[Gallery, ...]
    check: str


MEDIA_NAME = re.compile(r"^[a-z0-9-]{1,76}\.[a-z0-9]{3}$")


def media_file(e: Mapping, field: str, suffixes: tuple[str, ...]) -> str:
    """An exhibit's media file name, as the gateway's media route serves it."""
    name = e.get(field, "")
    if name and (not MEDIA_NAME.match(name) or not name.endswith(suffixes)):
        raise ValueError(f"exhibits: {e['id']}'s {field} {name!r} is not a file name ending {suffixes}")
    return name


class Exhibits:
    def __init__(self, data: Mapping, places: Places):
        venue = places.venues.get(data["venue_id"])
        if venue is None:
            raise ValueError(f"exhibits: no venue {data['venue_id']!r}")
        galleries = tuple(
            Gallery(
                id=g["id"],
                name=g["name"],
                floor=int(g["floor"]),
                intro=g["intro"],
                exhibits=tuple(
                    Exhibit(
                        id=e["id"],
                        gallery_id=g["id"],
                        name=e["name"],
                        era=e["era"],
                        story=e["story"],
                        guide_text=e["guide"],
                        photo_url=e.get("photo_url", ""),
                        audio_url=e.get("audio_url", ""),
                        check=tuple(e.get("check", ())),
                        photo_note=e.get("photo_note", ""),
                        photo_file=media_file(e, "photo_file", (".jpg", ".png")),
                        audio_file=media_file(e, "audio_file", (".mp3",)),
                    )
                    for e in g["exhibits"]
                ),
            )
            for g in data["galleries"]
        )
        named = list(venue.facts.get("galleries", []))
        if named and [g.name for g in galleries] != named:
            raise ValueError(f"exhibits: the galleries of {venue.id} are {named}, the exhibits name others")
        ids = [e.id for g in galleries for e in g.exhibits]
        if len(ids) != len(set(ids)) or not all(g.exhibits for g in galleries):
            raise ValueError("exhibits: each gallery has exhibits, each exhibit its own id")
        self.by_venue = {venue.id: Collection(venue.id, galleries, data.get("check", ""))}

    def of(self, venue_id: str) -> Collection:
        check_id(venue_id, "venue_id")
        found = self.by_venue.get(venue_id)
        if found is None:
            raise NotFound(f"no exhibits at {venue_id!r}", {"venue_id": "no exhibits"})
        return found
