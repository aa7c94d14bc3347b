"""Tourism's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's and
services/rules/booking.py's), no SQL (the store's)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable

from rules import booking
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.errors import NotFound
from runtime.times import to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.tourism.v1 import tourism_pb2 as pb
from sbc.tourism.v1 import tourism_pb2_grpc
from tourism import domain, handlers
from tourism.store import UnitOfWork, load_exhibits


def venue_to_proto(v: domain.Venue) -> pb.Venue:
    facts = {k: str(x) for k, x in v.facts.items() if not isinstance(x, list)}
    return pb.Venue(
        id=v.id,
        name=v.name,
        kind=v.kind,
        kind_label=v.kind_label,
        town=v.town,
        village=v.village,
        area_code=v.area_code,
        address=v.address,
        description=v.description,
        free_entry=v.free_entry,
        hours_text=v.hours_text,
        open_days=list(v.open_days),
        opens=v.opens.strftime("%H:%M"),
        closes=v.closes.strftime("%H:%M"),
        slots=[
            pb.SlotOfDay(starts=s.starts.strftime("%H:%M"), ends=s.ends.strftime("%H:%M"), capacity=s.capacity)
            for s in v.slots
        ],
        instantaneous_capacity=v.instantaneous_capacity,
        daily_capacity=v.daily_capacity,
        accessibility=list(v.accessibility),
        galleries=list(v.facts.get("galleries", [])),
        facts=facts,
        check=list(v.check),
    )


def event_to_proto(day: dt.date, e: domain.Event, places: domain.Places) -> pb.Event:
    return pb.Event(
        id=e.id,
        venue_id=e.venue_id,
        venue_name=places.venues[e.venue_id].name,
        title=e.title,
        kind=e.kind,
        kind_label=e.kind_label,
        date=day.isoformat(),
        times=e.times,
        description=e.description,
        instantaneous_capacity=e.instantaneous_capacity,
        daily_capacity=e.daily_capacity,
        accessibility=list(e.accessibility),
        check=list(e.check),
    )


def exhibit_to_proto(e: domain.Exhibit) -> pb.Exhibit:
    return pb.Exhibit(
        id=e.id,
        gallery_id=e.gallery_id,
        name=e.name,
        era=e.era,
        story=e.story,
        guide_text=e.guide_text,
        photo_url=e.photo_url,
        audio_url=e.audio_url,
        check=list(e.check),
        photo_note=e.photo_note,
        photo_file=e.photo_file,
        audio_file=e.audio_file,
    )


def double_entry_to_proto(d: domain.DoubleEntry) -> pb.DoubleEntry:
    return pb.DoubleEntry(
        entry_id=d.entry_id,
        reservation_id=d.reservation_id,
        venue_id=d.venue_id,
        party=d.party,
        entered_at=to_timestamp(d.entered_at),
        first_entered_at=to_timestamp(d.first_entered_at),
    )


class TourismServicer(tourism_pb2_grpc.TourismServiceServicer):
    def __init__(self, db: Database, places: domain.AllPlaces, clock: Callable[[], dt.datetime] = utcnow):
        self.db = db
        self.places = places
        # One setup per district: a caller works with their own district's (citizens see its venues).
        self.setups = {code: handlers.Setup.of(p) for code, p in places.by_district.items()}
        self.exhibits = load_exhibits(places)
        self.keys = handlers.Keys()
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    def setup(self) -> handlers.Setup:
        """The caller's district's places and rules."""
        return self.setups[self.places.for_area(current_caller().area_code).district_code]

    def setup_of_venue(self, venue_id: str) -> handlers.Setup:
        return self.setups[self.places.of_venue(venue_id).district_code]

    def reservation(self, r: domain.Reservation, signer: domain.TicketSigner, now: dt.datetime) -> pb.Reservation:
        state = r.state_at(now)
        setup = self.setup_of_venue(r.venue_id)
        venue = setup.places.venues[r.venue_id]
        return pb.Reservation(
            id=r.id,
            venue_id=r.venue_id,
            venue_name=r.venue_name,
            slot_id=r.slot_id,
            starts_at=to_timestamp(r.starts_at),
            ends_at=to_timestamp(r.ends_at),
            party=r.party,
            state=state,
            state_label=setup.places.data["state_labels"][state],
            expires_at=to_timestamp(r.expires_at) if state in (domain.State.HELD, domain.State.OFFERED) else None,
            cancel_until=to_timestamp(booking.cancel_deadline(setup.policy, r.starts_at, venue.zone)),
            ticket_code=handlers.ticket_code(signer, r) if state != domain.State.NO_SHOW else "",
            household_id=r.household_id,
            group_village_code=r.group_village_code,
            booked_by_name=r.booker_name,
            created_at=to_timestamp(r.created_at),
            checked_in_at=to_timestamp(r.checked_in_at),
        )

    async def signer(self) -> domain.TicketSigner:
        signer, _ = await run_sync(self.keys.load, self.uow())
        return signer

    async def ListVenues(self, request, context):
        setup = self.setup()
        found = handlers.list_venues(setup, request.kind)
        return pb.ListVenuesResponse(
            venues=[venue_to_proto(v) for v in found], district_name=setup.places.district_name
        )

    async def ListGalleries(self, request, context):
        places = self.setup().places
        exhibits = self.exhibits.get(places.district_code)
        if exhibits is None:
            raise NotFound(f"no exhibits at {request.venue_id[:64]!r}", {"venue_id": "no exhibits"})
        c = exhibits.of(request.venue_id)
        galleries = [
            pb.Gallery(
                id=g.id, name=g.name, floor=g.floor, intro=g.intro, exhibits=[exhibit_to_proto(e) for e in g.exhibits]
            )
            for g in c.galleries
        ]
        venue = places.venues[c.venue_id]
        return pb.ListGalleriesResponse(venue_id=venue.id, venue_name=venue.name, galleries=galleries, check=c.check)

    async def GetVenue(self, request, context):
        return venue_to_proto(self.setup().places.venue(request.venue_id))

    async def ListEvents(self, request, context):
        setup = self.setup()
        found = handlers.list_events(setup, request.from_date, request.days, request.venue_id, self.now())
        return pb.ListEventsResponse(events=[event_to_proto(d, e, setup.places) for d, e in found])

    async def ListSlots(self, request, context):
        setup = self.setup()
        venue = setup.places.venue(request.venue_id)
        found, full = await run_sync(handlers.calendar, self.uow(), setup, request.venue_id, self.now())

        def slot(o: handlers.OpenSlot) -> pb.Slot:
            return pb.Slot(
                id=o.slot.id,
                venue_id=venue.id,
                starts_at=to_timestamp(o.slot.starts_at),
                ends_at=to_timestamp(o.slot.ends_at),
                capacity=o.slot.capacity,
                remaining=o.remaining,
            )

        return pb.ListSlotsResponse(
            venue_id=venue.id,
            venue_name=venue.name,
            slots=[slot(o) for o in found],
            max_party=setup.policy.party_limit(False),
            max_group_party=setup.policy.party_limit(True),
            full_slots=[slot(o) for o in full],
        )

    async def HoldReservation(self, request, context):
        now = self.now()
        r = await run_sync(
            handlers.hold,
            self.uow(),
            self.setup(),
            self.keys,
            current_caller(),
            request.slot_id,
            list(request.visitor_id_numbers),
            request.idempotency_key,
            request.group_village_code,
            now,
        )
        return self.reservation(r, await self.signer(), now)

    async def JoinWaitingList(self, request, context):
        now = self.now()
        r = await run_sync(
            handlers.hold,
            self.uow(),
            self.setup(),
            self.keys,
            current_caller(),
            request.slot_id,
            list(request.visitor_id_numbers),
            request.idempotency_key,
            request.group_village_code,
            now,
            True,
        )
        return self.reservation(r, await self.signer(), now)

    async def ConfirmReservation(self, request, context):
        now = self.now()
        r = await run_sync(handlers.confirm, self.uow(), current_caller(), request.id, now)
        return self.reservation(r, await self.signer(), now)

    async def CancelReservation(self, request, context):
        now = self.now()
        r = await run_sync(handlers.cancel, self.uow(), self.setup(), current_caller(), request.id, now)
        return self.reservation(r, await self.signer(), now)

    async def GetReservation(self, request, context):
        now = self.now()
        r = await run_sync(handlers.get_reservation, self.uow(), current_caller(), request.id)
        return self.reservation(r, await self.signer(), now)

    async def ListMyReservations(self, request, context):
        now = self.now()
        found, next_token = await run_sync(handlers.list_mine, self.uow(), current_caller(), request.page)
        signer = await self.signer()
        return pb.ListReservationsResponse(
            reservations=[self.reservation(r, signer, now) for r in found],
            page=common_pb2.PageResponse(next_page_token=next_token),
        )

    def occupancy(self, o: handlers.Occupancy) -> pb.Occupancy:
        return pb.Occupancy(
            venue_id=o.venue.id,
            venue_name=o.venue.name,
            inside=o.inside,
            instantaneous_capacity=o.venue.instantaneous_capacity,
            entered_today=o.entered_today,
            daily_capacity=o.venue.daily_capacity,
            at=to_timestamp(o.at),
        )

    async def CheckIn(self, request, context):
        now = self.now()
        r, o, double = await run_sync(
            handlers.check_in,
            self.uow(),
            self.setup_of_venue(request.venue_id),
            self.keys,
            current_caller(),
            request.venue_id,
            request.ticket_code,
            now,
            request.offline_seconds,
            request.entry_id,
        )
        return pb.CheckInResult(
            reservation=self.reservation(r, await self.signer(), now),
            occupancy=self.occupancy(o),
            double_entry=double_entry_to_proto(double) if double else None,
        )

    async def GetOccupancy(self, request, context):
        o = await run_sync(
            handlers.occupancy,
            self.uow(),
            self.setup_of_venue(request.venue_id),
            current_caller(),
            request.venue_id,
            self.now(),
        )
        return self.occupancy(o)

    async def ListGateEntries(self, request, context):
        now = self.now()
        entered, doubles = await run_sync(
            handlers.gate_entries,
            self.uow(),
            self.setup_of_venue(request.venue_id),
            current_caller(),
            request.venue_id,
            now,
        )
        return pb.GateEntries(
            venue_id=request.venue_id,
            entries=[
                pb.GateEntry(reservation_id=r.id, party=r.party, checked_in_at=to_timestamp(r.checked_in_at))
                for r in entered
            ],
            double_entries=[double_entry_to_proto(d) for d in doubles],
            at=to_timestamp(now),
        )

    async def GetTicketKey(self, request, context):
        raw = await run_sync(handlers.public_key, self.keys, self.uow())
        return pb.TicketKey(
            algorithm="Ed25519",
            public_key=base64.b64encode(raw).decode(),
            format="T1.<payload base64url>.<Ed25519 signature base64url>",
        )
