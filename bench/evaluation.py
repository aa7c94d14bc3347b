"""Benchmark: the evaluation's assessment read model and its report, on the real Kafka and PostgreSQL.

    make bench-evaluation                          # a year of activity: 1,000,000 events
    make bench-evaluation EVENTS=20000             # smoke size (CI: e2e/test_evaluation_benchmark.py)

Synthetic activity for a year (2025) across the services, as their real event protos (the service
desk's requests filed, resolved, rated and followed up; e-government applications submitted,
approved, visited and rated; eldercare alarms raised and acknowledged; the towns' farm programme
slots), produced to fresh topics of the real Kafka while evaluation's consumer (runtime.consumer,
the one `python -m evaluation assessment` runs) folds them into a fresh PostgreSQL database. Prints
the events/s the read model applies and its lag (records not yet consumed) every second and at the
end, beside a bare consumer that only reads the same records (the baseline, same process tree);
then the year's report (GetReport's handler: the counters' queries and the computation) and its
page, timed beside a bare query of the counters table. The goal: the year's report in <= 60 s.
Full-size figures need a quiet machine."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import random
import sys
import threading
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

from evaluation import events, handlers, store  # noqa: E402
from evaluation.service import SERVICE  # noqa: E402
from evaluation.tests import activity  # noqa: E402
from kafka.admin import NewTopic  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.postgres import fresh_database  # noqa: E402
from runtime import db as dbmod  # noqa: E402
from runtime import kafka_clients  # noqa: E402
from runtime.consumer import Consumer  # noqa: E402
from runtime.testing import staff  # noqa: E402

UTC = dt.UTC
YEAR = 2025
H = dt.timedelta(hours=1)
LEVELS = ("very_satisfied", "satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied")


def year_of_activity(count: int, seed: int = 17):
    """(topic kind, key, Event) for about `count` events spread over the year, each subject's in order."""
    rnd = random.Random(seed)
    scheme = store.load_schemes()["330411"]
    points = list(scheme.points)
    towns = list(scheme.towns)
    start = dt.datetime(YEAR, 1, 1, tzinfo=UTC)
    made, n = 0, 0
    while made < count:
        n += 1
        at = start + dt.timedelta(seconds=rnd.randrange(365 * 24 * 3600 - 3 * 24 * 3600))
        point = rnd.choice(points)
        village = scheme.town_of_point(point) + "201"
        pick = rnd.random()
        if pick < 0.45:
            rid, deadline = f"r{n}", at + 24 * H
            evts = [activity.submitted(rid, village, point, at, deadline)]
            if rnd.random() < 0.9:
                done = at + rnd.uniform(1, 30) * H
                evts.append(activity.transitioned(rid, village, point, at, deadline, "resolved", done))
                if rnd.random() < 0.7:
                    level = rnd.choice(LEVELS)
                    evts.append(activity.rated(rid, point, level, done + H))
                    if level in LEVELS[4:] and rnd.random() < 0.8:
                        evts.append(activity.followed_up(rid, point, done + 48 * H))
            yield from (("servicedesk", rid, e) for e in evts)
        elif pick < 0.75:
            app = f"a{n}"
            evts = [activity.application_step(app, village, "submitted", "submitted", at)]
            if rnd.random() < 0.3:
                evts.append(activity.application_step(app, village, "visited", "accepted", at + 24 * H))
            evts.append(activity.application_step(app, village, "approved", "approved", at + 48 * H))
            if rnd.random() < 0.5:
                evts.append(
                    activity.application_step(app, village, "rated", "approved", at + 50 * H, rnd.choice(LEVELS))
                )
            yield from (("egov", app, e) for e in evts)
        elif pick < 0.9:
            alarm = f"al{n}"
            ack = at + dt.timedelta(seconds=rnd.expovariate(1 / 240))
            evts = [activity.alarm_raised(alarm, village, at), activity.alarm_acknowledged(alarm, village, ack)]
            yield from (("eldercare", alarm, e) for e in evts)
        else:
            slot = f"s{n}"
            yield ("education", slot, activity.slot_scheduled(slot, rnd.choice(towns), at))
            evts = [None]
        made += len(evts)


def produce(bootstrap: str, topics: dict[str, str], records: list, done: threading.Event) -> None:
    producer = kafka_clients.producer(bootstrap, linger_ms=20, batch_size=256 * 1024)
    try:
        for kind, key, event in records:
            producer.send(topics[kind], key=key.encode(), value=event.payload, headers=event.headers())
        producer.flush(120)
    finally:
        producer.close()
        done.set()


def bare_read(bootstrap: str, topics: list[str], count: int) -> float:
    """The baseline: a consumer that only reads the same records. Returns records/s."""
    c = kafka_clients.consumer(
        bootstrap,
        *topics,
        group_id=f"bench-bare-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=2000,
    )
    seen, t0 = 0, time.perf_counter()
    try:
        while seen < count:
            for records in c.poll(timeout_ms=1000).values():
                seen += len(records)
    finally:
        c.close()
    return seen / (time.perf_counter() - t0)


def main(args) -> int:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    t0 = time.perf_counter()
    records = list(year_of_activity(args.events))
    print(f"synthetic year {YEAR}: {len(records):,} events made in {time.perf_counter() - t0:.1f} s")
    run = uuid.uuid4().hex[:8]
    topics = {k: f"bench.evaluation.{run}.{k}" for k in ("servicedesk", "egov", "eldercare", "education")}
    dead = f"bench.evaluation.{run}.dead_letters"
    admin = kafka_clients.admin(bootstrap)
    admin.create_topics([NewTopic(t, num_partitions=3, replication_factor=1) for t in topics.values()])
    admin.create_topics([NewTopic(dead, num_partitions=1, replication_factor=1)])
    try:
        with fresh_database("bench_evaluation") as url:
            dbmod.migrate(SERVICE.migrations, url)
            db = dbmod.Database(url)
            try:
                return measure(args, bootstrap, db, topics, dead, records)
            finally:
                db.dispose()
    finally:
        admin.delete_topics([*topics.values(), dead])
        admin.close()


def measure(args, bootstrap, db, topics, dead, records) -> int:
    consumer = Consumer(
        db,
        bootstrap,
        f"bench-evaluation-{uuid.uuid4().hex[:8]}",
        list(topics.values()),
        events.HANDLERS,
        dead_letter_topic=dead,
        batch_size=events.BATCH_SIZE,  # as the assessment worker (evaluation/service.py)
    )
    consumer.lag_interval = 1.0
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    produced = threading.Event()
    t0 = time.perf_counter()
    thread.start()
    threading.Thread(target=produce, args=(bootstrap, topics, records, produced), daemon=True).start()
    total, last = len(records), 0.0
    while consumer.applied + consumer.parked < total:
        time.sleep(0.2)
        if time.perf_counter() - last >= 1:
            last = time.perf_counter()
            print(
                f"  {last - t0:6.1f} s  applied {consumer.applied:>9,}  lag {sum(consumer.lag.values()):>9,}"
                f"{'' if produced.is_set() else '  (producing)'}",
                flush=True,
            )
        if time.perf_counter() - t0 > args.timeout:
            print(f"TIMEOUT after {args.timeout} s")
            break
    took = time.perf_counter() - t0
    time.sleep(consumer.lag_interval + 0.5)
    final_lag = sum(consumer.lag.values())
    consumer.stop()
    thread.join(15)
    applied_per_s = consumer.applied / took
    base = bare_read(bootstrap, list(topics.values()), total)
    print(
        f"read model: {consumer.applied:,} applied, {consumer.parked} parked in {took:.1f} s: "
        f"{applied_per_s:,.0f} events/s; lag at the end {final_lag}"
    )
    print(
        f"baseline (a bare consumer reading the same records): {base:,.0f} records/s; "
        f"ratio read model / baseline {applied_per_s / base:.4f}"
    )

    schemes = store.load_schemes()
    assessor = staff("assessor", username="assessor.bench", area_code="330411")
    now = dt.datetime(YEAR + 1, 1, 15, tzinfo=UTC)
    with db.transaction() as s:
        t1 = time.perf_counter()
        rows = s.scalar(select(func.count()).select_from(store.tallies))
        bare = time.perf_counter() - t1
    t1 = time.perf_counter()
    report = handlers.get_report(store.UnitOfWork(db), schemes, assessor, "330411", str(YEAR), now)
    took_report = time.perf_counter() - t1
    from evaluation.servicer import report_proto  # noqa: PLC0415

    from gateway.routes.evaluation import page_of, report_json  # noqa: PLC0415

    t1 = time.perf_counter()
    page = page_of(report_json(report_proto(report)))
    took_page = time.perf_counter() - t1
    filed = {f.indicator.code: f for f in report.overall.figures}["complaint_rate"].denominator
    print(
        f"the year's report: {took_report * 1000:.0f} ms ({rows:,} counters, {filed:,} requests, "
        f"{len(report.problems)} problems), its page {took_page * 1000:.0f} ms ({len(page) // 1024} KiB); "
        f"goal <= 60 s: {'met' if took_report + took_page <= 60 else 'MISSED'}"
    )
    print(
        f"baseline (a bare count of the counters): {bare * 1000:.1f} ms; "
        f"ratio report / baseline {took_report / max(bare, 1e-6):.1f}"
    )
    return 0 if consumer.applied + consumer.parked >= total and consumer.parked == 0 else 1


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--timeout", type=float, default=3600, help="seconds the read model may take to catch up")
    sys.exit(main(p.parse_args()))
