"""Legal over real gRPC: its own server (the runtime's, with the interceptor, token checks and
error mapping of production) on SQLite and PostgreSQL, with tokens minted by the runtime's test
plugin: content drafted, reviewed by a second officer, published and read, with bad input and
callers who may not."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import func, select

from legal import store
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import rpc_error
from sbc.common.v1 import common_pb2
from sbc.legal.v1 import legal_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def outbox_steps(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [r.event_type for r in s.execute(select(t).order_by(t.c.seq))]


def content_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.contents))


def article(key="k1", **kw) -> pb.DraftContentRequest:
    fields = dict(
        kind="article",
        topic="fraud",
        audiences=["elders", "everyone"],
        title="冒充公检法的电话",
        body="接到自称公安的电话要求转账，一律是诈骗。\n请拨打110核实。",
        speech_text="接到自称公安的电话要求转账，一律是诈骗。",
        audio_url="https://media.example/fraud-1.mp3",
        idempotency_key=key,
    )
    fields.update(kw)
    return pb.DraftContentRequest(**fields)


async def test_an_officer_drafts_a_second_one_publishes_and_citizens_read_it(svc, who):
    made = await svc.api.DraftContent(article(), metadata=svc.md(who.author))
    assert made.state == "in_review" and made.kind_label == "普法文章" and made.topic_label == "防范诈骗"
    # Before the review no citizen sees it; the office's queue has it.
    assert not (await svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.home))).contents
    err = await rpc_error(svc.api.GetContent(pb.GetContentRequest(id=made.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    queue = await svc.api.ListReviewQueue(pb.ListReviewQueueRequest(), metadata=svc.md(who.reviewer))
    assert [c.id for c in queue.contents] == [made.id]

    # The author may not publish it: a second person reviews.
    err = await rpc_error(svc.api.PublishContent(pb.PublishContentRequest(id=made.id), metadata=svc.md(who.author)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "second person" in err.details()
    published = await svc.api.PublishContent(pb.PublishContentRequest(id=made.id), metadata=svc.md(who.reviewer))
    assert published.state == "published" and published.reviewer_name == "officer.b"

    for reader in (who.home, who.elsewhere, who.agent):
        got = await svc.api.GetContent(pb.GetContentRequest(id=made.id), metadata=svc.md(reader))
        assert got.title == "冒充公检法的电话" and got.speech_text and got.audio_url.endswith(".mp3")
    listed = await svc.api.ListContent(
        pb.ListContentRequest(topic="fraud", audience="elders"), metadata=svc.md(who.home)
    )
    assert [c.id for c in listed.contents] == [made.id]
    assert not (await svc.api.ListContent(pb.ListContentRequest(topic="land"), metadata=svc.md(who.home))).contents
    assert not (await svc.api.ListContent(pb.ListContentRequest(audience="youth"), metadata=svc.md(who.home))).contents
    # Another district has its own content (none here).
    err = await rpc_error(svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.outsider)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert outbox_steps(svc.db) == ["sbc.legal.content.step.v1"] * 2


async def test_a_returned_draft_says_why_and_is_never_published(svc, who):
    made = await svc.api.DraftContent(
        article(kind="party_notice", topic="", audiences=["everyone"]), metadata=svc.md(who.author)
    )
    err = await rpc_error(svc.api.ReturnContent(pb.ReturnContentRequest(id=made.id), metadata=svc.md(who.reviewer)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "note" in field_errors_of(err)
    back = await svc.api.ReturnContent(
        pb.ReturnContentRequest(id=made.id, note="请补充活动地点"), metadata=svc.md(who.reviewer)
    )
    assert back.state == "returned" and back.review_note == "请补充活动地点"
    err = await rpc_error(svc.api.PublishContent(pb.PublishContentRequest(id=made.id), metadata=svc.md(who.reviewer)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert len(outbox_steps(svc.db)) == 2, "the refused publication wrote no event"


async def test_pages_come_newest_first_each_once(svc, who):
    ids = []
    for i in range(5):
        c = await svc.api.DraftContent(article(key=f"k{i}", title=f"第{i}篇"), metadata=svc.md(who.author))
        await svc.api.PublishContent(pb.PublishContentRequest(id=c.id), metadata=svc.md(who.reviewer))
        ids.append(c.id)
    seen, token = [], ""
    while True:
        page = await svc.api.ListContent(
            pb.ListContentRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)), metadata=svc.md(who.home)
        )
        seen += [c.id for c in page.contents]
        token = page.page.next_page_token
        if not token:
            break
    assert seen == list(reversed(ids))


async def test_the_same_idempotency_key_returns_the_same_draft(svc, who):
    first = await svc.api.DraftContent(article(), metadata=svc.md(who.author))
    assert await svc.api.DraftContent(article(), metadata=svc.md(who.author)) == first
    err = await rpc_error(svc.api.DraftContent(article(title="另一篇"), metadata=svc.md(who.author)))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and content_count(svc.db) == 1


@pytest.mark.parametrize(
    "request_, field",
    [
        (article(title=""), "title"),  # missing
        (article(body="x" * 20001), "body"),  # oversized
        (article(title="a\x00b"), "title"),  # malformed
        (article(kind="poem"), "kind"),
        (article(audiences=["aliens"]), "audiences"),
        (article(kind="video"), "video_url"),
        (article(audio_url="ftp://x"), "audio_url"),
        (article(key=""), "idempotency_key"),
    ],
)
async def test_bad_drafts_are_invalid_argument_naming_the_field_and_change_nothing(svc, who, request_, field):
    err = await rpc_error(svc.api.DraftContent(request_, metadata=svc.md(who.author)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert content_count(svc.db) == 0 and outbox_steps(svc.db) == []


async def test_bad_filters_and_ids(svc, who):
    err = await rpc_error(svc.api.ListContent(pb.ListContentRequest(topic="tax"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "topic" in field_errors_of(err)
    for bad in ("", "x" * 37):
        err = await rpc_error(svc.api.GetContent(pb.GetContentRequest(id=bad), metadata=svc.md(who.home)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_who_may_do_what_with_content(svc, who):
    """The authorization matrix of content: role × operation × own/other district."""
    made = await svc.api.DraftContent(article(), metadata=svc.md(who.author))
    assert (await rpc_error(svc.api.ListContent(pb.ListContentRequest()))).code() == grpc.StatusCode.UNAUTHENTICATED
    bad = [("authorization", "Bearer not-a-token")]
    err = await rpc_error(svc.api.ListContent(pb.ListContentRequest(), metadata=bad))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    for caller in (who.home, who.agent, who.advisor, who.technician):
        for call in (
            svc.api.DraftContent(article(key="other"), metadata=svc.md(caller)),
            svc.api.ListReviewQueue(pb.ListReviewQueueRequest(), metadata=svc.md(caller)),
        ):
            assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED, caller
        # A draft is not theirs to see, so not theirs to review either.
        for call in (
            svc.api.PublishContent(pb.PublishContentRequest(id=made.id), metadata=svc.md(caller)),
            svc.api.GetContent(pb.GetContentRequest(id=made.id), metadata=svc.md(caller)),
        ):
            assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND, caller
    # An officer of another district has no data here, and sees nothing of this one.
    err = await rpc_error(
        svc.api.PublishContent(pb.PublishContentRequest(id=made.id), metadata=svc.md(who.foreign_officer))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert outbox_steps(svc.db) == ["sbc.legal.content.step.v1"]
    assert (
        await svc.api.GetContent(pb.GetContentRequest(id=made.id), metadata=svc.md(who.author))
    ).state == "in_review"


async def test_the_list_is_cached_a_few_seconds_and_a_publication_shows_at_once(svc, who):
    first = await svc.api.DraftContent(article("c1"), metadata=svc.md(who.author))
    await svc.api.PublishContent(pb.PublishContentRequest(id=first.id), metadata=svc.md(who.reviewer))
    listed = await svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.home))
    assert [c.id for c in listed.contents] == [first.id]
    # Another replica's change (here: straight in the database) shows once the cached page is old.
    with svc.db.transaction() as s:
        s.execute(store.contents.update().values(title="改过的标题"))
    again = await svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.neighbour))
    assert [c.title for c in again.contents] == [first.title], "served from the cache"
    svc.clock.move(seconds=6)
    fresh = await svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.home))
    assert [c.title for c in fresh.contents] == ["改过的标题"]
    # A publication by this process clears the cache: the next list has it.
    second = await svc.api.DraftContent(article("c2", title="养老诈骗"), metadata=svc.md(who.author))
    await svc.api.PublishContent(pb.PublishContentRequest(id=second.id), metadata=svc.md(who.reviewer))
    listed = await svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.home))
    assert [c.id for c in listed.contents] == [second.id, first.id]
    # Another district's caller never gets this district's cached page.
    err = await rpc_error(svc.api.ListContent(pb.ListContentRequest(), metadata=svc.md(who.outsider)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
