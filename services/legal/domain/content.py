"""普法 articles and short videos, party-building and civilization-practice notices: the judicial
office drafts them, and a second officer (never the author) publishes or returns each one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from legal.domain.district import District
from legal.domain.roles import Role
from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, require, text_errors
from runtime.uow import Aggregate

MAX_IDEMPOTENCY_KEY = 100


class State:
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RETURNED = "returned"


@dataclass(frozen=True)
class ContentStep:
    """Content drafted, published or returned (step), by whom."""

    content_id: str
    district_code: str
    kind: str
    title: str
    step: str
    actor: str
    at: dt.datetime


@dataclass(frozen=True)
class Draft:
    kind: str
    topic: str
    audiences: Sequence[str]
    title: str
    body: str
    speech_text: str
    audio_url: str = ""
    video_url: str = ""


def require_officer(caller: Caller, district: District) -> None:
    if caller.kind != CallerKind.STAFF or Role.JUDICIAL_OFFICER not in caller.roles:
        raise PermissionDenied(f"this call is for the judicial office (role {Role.JUDICIAL_OFFICER})")
    if caller.area_code[:6] != district.code:
        raise PermissionDenied("an officer works in their own district only")


def check_draft(d: Draft, district: District, idempotency_key: str) -> None:
    require({"kind": d.kind, "title": d.title, "body": d.body, "speech_text": d.speech_text})
    lim = district.limits
    errors = text_errors(
        {
            "title": (d.title, lim["title"]),
            "body": (d.body, lim["body"]),
            "speech_text": (d.speech_text, lim["speech_text"]),
            "audio_url": (d.audio_url, lim["url"]),
            "video_url": (d.video_url, lim["url"]),
            "idempotency_key": (idempotency_key, MAX_IDEMPOTENCY_KEY),
        },
        multiline={"body", "speech_text"},
    )
    if not idempotency_key:
        errors["idempotency_key"] = "is required"
    if d.kind not in district.kinds:
        errors["kind"] = "one of " + ", ".join(district.kinds)
    if d.kind in district.kinds_with_topic and d.topic not in district.topics:
        errors["topic"] = "one of " + ", ".join(district.topics)
    elif d.kind not in district.kinds_with_topic and d.topic and d.topic not in district.topics:
        errors["topic"] = "empty or one of " + ", ".join(district.topics)
    if (
        not d.audiences
        or any(a not in district.audiences for a in d.audiences)
        or len(set(d.audiences)) != len(d.audiences)
    ):
        errors["audiences"] = "one or more of " + ", ".join(district.audiences) + ", each once"
    for name, url in (("audio_url", d.audio_url), ("video_url", d.video_url)):
        if url and not url.startswith("https://") and name not in errors:
            errors[name] = "an https:// address"
    if d.kind in district.kinds_with_video and not d.video_url:
        errors.setdefault("video_url", "is required for a video")
    elif d.kind not in district.kinds_with_video and d.video_url:
        errors.setdefault("video_url", "only a video has one")
    if errors:
        raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)


class Content(Aggregate):
    """One piece of content, from its draft to its publication (or its return to the author)."""

    def __init__(
        self,
        id: str,
        district_code: str,
        kind: str,
        topic: str,
        audiences: str,
        title: str,
        body: str,
        speech_text: str,
        audio_url: str,
        video_url: str,
        state: str,
        author: str,
        author_name: str,
        idempotency_key: str,
        created_at: dt.datetime,
        reviewer: str = "",
        reviewer_name: str = "",
        review_note: str = "",
        reviewed_at: dt.datetime | None = None,
    ):
        self.id, self.district_code, self.kind, self.topic = id, district_code, kind, topic
        # Stored as ",a,b," so that one audience is found with a LIKE.
        self.audiences = audiences
        self.title, self.body, self.speech_text = title, body, speech_text
        self.audio_url, self.video_url = audio_url, video_url
        self.state, self.author, self.author_name = state, author, author_name
        self.idempotency_key, self.created_at = idempotency_key, created_at
        self.reviewer, self.reviewer_name, self.review_note, self.reviewed_at = (
            reviewer,
            reviewer_name,
            review_note,
            reviewed_at,
        )

    @classmethod
    def draft(cls, caller: Caller, district: District, d: Draft, idempotency_key: str, now: dt.datetime) -> Content:
        require_officer(caller, district)
        check_draft(d, district, idempotency_key)
        c = cls(
            str(uuid.uuid4()),
            district.code,
            d.kind,
            d.topic,
            "," + ",".join(d.audiences) + ",",
            d.title.strip(),
            d.body,
            d.speech_text,
            d.audio_url,
            d.video_url,
            State.IN_REVIEW,
            caller.subject,
            caller.name,
            idempotency_key,
            now,
        )
        c._step("drafted", caller, now)
        return c

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audiences.split(",") if a]

    @property
    def published(self) -> bool:
        return self.state == State.PUBLISHED

    def is_same(self, d: Draft) -> bool:
        return (self.kind, self.title, self.body) == (d.kind, d.title.strip(), d.body)

    def visible_to(self, caller: Caller) -> bool:
        """Published content is the district's; a draft only the judicial office's."""
        if caller.area_code[:6] != self.district_code:
            return False
        return self.published or (caller.kind == CallerKind.STAFF and Role.JUDICIAL_OFFICER in caller.roles)

    def publish(self, caller: Caller, district: District, now: dt.datetime) -> None:
        self._review(caller, district, now)
        self.state = State.PUBLISHED
        self._step("published", caller, now)

    def return_to_author(self, caller: Caller, district: District, note: str, now: dt.datetime) -> None:
        errors = {"note": "is required"} if not note.strip() else text_errors({"note": (note, district.limits["note"])})
        if errors:
            raise InvalidArgument("a returned draft says why", errors)
        self._review(caller, district, now)
        self.state, self.review_note = State.RETURNED, note.strip()
        self._step("returned", caller, now)

    def _review(self, caller: Caller, district: District, now: dt.datetime) -> None:
        require_officer(caller, district)
        if self.state != State.IN_REVIEW:
            raise FailedPrecondition(f"this content is {self.state}: only a draft in review is reviewed")
        if caller.subject == self.author:
            raise PermissionDenied("a second person reviews: the author may not review their own draft")
        self.reviewer, self.reviewer_name, self.reviewed_at = caller.subject, caller.name, now

    def _step(self, step: str, caller: Caller, now: dt.datetime) -> None:
        self.record(ContentStep(self.id, self.district_code, self.kind, self.title, step, caller.subject, now))
