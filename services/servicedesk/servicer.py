"""gRPC face of the service desk."""
from __future__ import annotations

import asyncio
import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.exc import IntegrityError

from runtime.auth import Caller, CallerKind, current_caller
from runtime.db import Database
from runtime.errors import AlreadyExists, InvalidArgument, NotFound
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2, servicedesk_pb2_grpc
from servicedesk import domain, events, store

SERVICE_NAME = servicedesk_pb2.DESCRIPTOR.services_by_name["ServiceDeskService"].full_name
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def to_proto(row: store.ServiceRequestRow) -> servicedesk_pb2.ServiceRequest:
    at = Timestamp()
    at.FromDatetime(row.submitted_at if row.submitted_at.tzinfo else row.submitted_at.replace(tzinfo=dt.timezone.utc))
    return servicedesk_pb2.ServiceRequest(
        id=row.id,
        reference_number=row.reference_number,
        household_id=row.household_id,
        area=common_pb2.Area(code=row.area_code),
        service_type=row.service_type,
        description=row.description,
        state=row.state,
        channel=row.channel,
        submitted_at=at,
        submitted_by=common_pb2.AuditStamp(
            actor_id=row.submitted_by, actor_role=row.submitted_by_role, channel=row.channel, at=at
        ),
    )


class ServiceDeskServicer(servicedesk_pb2_grpc.ServiceDeskServiceServicer):
    def __init__(self, db: Database, catalog_data: dict):
        self.db = db
        self.catalog_data = catalog_data

    async def CreateServiceRequest(self, request, context):
        return await asyncio.to_thread(self._create, current_caller(), request)

    def _create(self, caller: Caller, request) -> servicedesk_pb2.ServiceRequest:
        household_id = caller.require_household()
        channel = request.channel or "set_top_box"
        new = domain.NewRequest(request.service_type, request.description, request.idempotency_key, channel)
        t = now()
        catalog = domain.Catalog.from_data(self.catalog_data, domain.district_date(t))
        domain.validate_new_request(new, catalog, allowed_channels=domain.HOUSEHOLD_CHANNELS)
        try:
            with self.db.transaction() as s:
                existing = store.find_by_idempotency_key(s, household_id, new.idempotency_key)
                if existing is not None:
                    return self._replay(existing, new)
                row = store.ServiceRequestRow(
                    household_id=household_id,
                    device_id=caller.device_id,
                    area_code=caller.area_code,
                    service_type=new.service_type,
                    description=new.description,
                    state=domain.State.SUBMITTED,
                    channel=new.channel,
                    catalog_version=catalog.version,
                    idempotency_key=new.idempotency_key,
                    submitted_at=t,
                    submitted_by=caller.subject,
                    submitted_by_role=caller.kind,
                )
                s.add(row)
                s.flush()
                row.reference_number = domain.reference_number(t, row.seq)
                s.flush()
                events.request_submitted(s, row)
                return to_proto(row)
        except IntegrityError:
            # The same key filed at the same moment by a retry: return that one.
            with self.db.transaction() as s:
                existing = store.find_by_idempotency_key(s, household_id, new.idempotency_key)
                if existing is None:
                    raise
                return self._replay(existing, new)

    @staticmethod
    def _replay(existing: store.ServiceRequestRow, new: domain.NewRequest) -> servicedesk_pb2.ServiceRequest:
        if not domain.same_request(existing.service_type, existing.description, new):
            raise AlreadyExists(
                "this idempotency key was used for a different request",
                {"idempotency_key": "already used for another request"},
            )
        return to_proto(existing)

    async def GetServiceRequest(self, request, context):
        return await asyncio.to_thread(self._get, current_caller(), request)

    def _get(self, caller: Caller, request):
        household_id = caller.require_household()
        if not request.id or len(request.id) > 36:
            raise InvalidArgument("id is required", {"id": "a request id"})
        with self.db.transaction() as s:
            row = store.get(s, request.id)
            # Another household's request is reported as not found: its existence is not ours to tell.
            if row is None or row.household_id != household_id:
                raise NotFound(f"no service request {request.id!r}")
            return to_proto(row)

    async def ListMyServiceRequests(self, request, context):
        return await asyncio.to_thread(self._list, current_caller(), request)

    def _list(self, caller: Caller, request):
        household_id = caller.require_household()
        size = request.page.page_size or DEFAULT_PAGE_SIZE
        if size < 0 or size > MAX_PAGE_SIZE:
            raise InvalidArgument(f"page_size must be 1..{MAX_PAGE_SIZE}", {"page.page_size": "out of range"})
        before = domain.parse_page_token(request.page.page_token)
        with self.db.transaction() as s:
            rows = store.list_for_household(s, household_id, before, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        return servicedesk_pb2.ListMyServiceRequestsResponse(
            requests=[to_proto(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=str(rows[-1].seq) if more else ""),
        )
