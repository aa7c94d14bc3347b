"""Evaluation's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from evaluation import domain, handlers
from evaluation.domain import report as rep
from evaluation.store import UnitOfWork, load_schemes
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.times import to_timestamp, utcnow
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc


def figure_proto(f: rep.Figure) -> pb.IndicatorFigure:
    i = f.indicator
    return pb.IndicatorFigure(
        code=i.code,
        name=i.name,
        service=i.service,
        measured=f.measured,
        value=round(f.value, 2) if f.value is not None else 0.0,
        unit="%",
        target=i.target,
        higher_is_better=i.higher_is_better,
        weight=i.weight,
        score=round(f.score, 2),
        met=f.met,
        numerator=f.numerator,
        denominator=f.denominator,
    )


def area_proto(a: rep.Area) -> pb.AreaFigures:
    return pb.AreaFigures(
        code=a.code, name=a.name, kind=a.kind, indicators=[figure_proto(f) for f in a.figures], score=a.score
    )


def report_proto(r: domain.Report) -> pb.Report:
    return pb.Report(
        district=r.scheme.district,
        district_name=r.scheme.name,
        period=r.period,
        months=r.months,
        scheme_version=r.scheme.version,
        generated_at=to_timestamp(r.generated_at),
        overall=area_proto(r.overall),
        towns=[area_proto(a) for a in r.towns],
        service_points=[area_proto(a) for a in r.points],
        trends=[
            pb.MonthFigures(month=m.month, indicators=[figure_proto(f) for f in m.figures], score=m.score)
            for m in r.trends
        ],
        problems=[
            pb.Problem(indicator=p.indicator, area_code=p.area_code, area_name=p.area_name, text=p.text)
            for p in r.problems
        ],
        bad_rating_causes=[pb.BadRatingCause(service=s, subject=subj, count=n) for s, subj, n in r.causes],
        ratings=[
            pb.ServiceRatings(service=x.service, rated=x.rated, satisfied=x.satisfied, bad=x.bad, rectified=x.rectified)
            for x in r.ratings
        ],
    )


class EvaluationServicer(evaluation_pb2_grpc.EvaluationServiceServicer):
    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime] = utcnow,
        schemes: dict[str, domain.Scheme] | None = None,
    ):
        self.db = db
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock
        self.schemes = schemes if schemes is not None else load_schemes()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    async def GetReport(self, request, context):
        report = await run_sync(
            handlers.get_report,
            self.uow(),
            self.schemes,
            current_caller(),
            request.district,
            request.period,
            self.now(),
        )
        return report_proto(report)
