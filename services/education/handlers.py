"""Education's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (from the aio server,
on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.exc import IntegrityError

from education import domain
from education.store import UnitOfWork
from runtime.auth import Caller
from runtime.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied

# The longest member name a filter may name (every district's names are at most this long).
MAX_MEMBER_FILTER = 40


def check_id(value: str, field: str) -> None:
    if not value or len(value) > 36:
        raise InvalidArgument(f"{field} is an id", {field: "is required" if not value else "at most 36 characters"})


def town_of(districts: domain.Districts, town_code: str) -> domain.District:
    if not town_code:
        raise InvalidArgument("town_code is required", {"town_code": "is required"})
    return districts.of_town(town_code)


def town_to_read(districts: domain.Districts, town_code: str) -> domain.District:
    """A town named by the path of a read: an unknown one is not found."""
    try:
        return town_of(districts, town_code)
    except InvalidArgument as e:
        raise NotFound(str(e), {"town_code": "not found"}) from None


def day_of(district: domain.District, week_of: str, now: dt.datetime) -> dt.date:
    if not week_of:
        return now.astimezone(district.zone).date()
    try:
        if len(week_of) != 10:
            raise ValueError
        return dt.date.fromisoformat(week_of)
    except ValueError:
        raise InvalidArgument("week_of is a date, YYYY-MM-DD", {"week_of": "YYYY-MM-DD"}) from None


def create_series(
    uow: UnitOfWork, districts, caller: Caller, town_code: str, title: str, description: str, local: bool, now
) -> domain.Series:
    domain.require_editor(caller)
    district = town_of(districts, town_code)
    made = domain.Series.create(caller, district, town_code, title, description, local, now)
    try:
        with uow:
            uow.series.add(made)
            uow.commit()
            return made
    except IntegrityError:
        raise AlreadyExists(f"{town_code} has a series {title!r} already", {"title": "already used"}) from None


def list_series(uow: UnitOfWork, districts, town_code: str) -> list[domain.Series]:
    town_to_read(districts, town_code)
    with uow:
        return uow.series.of_town(town_code)


def add_episode(uow: UnitOfWork, districts, caller: Caller, series_id: str, fields: dict, now) -> domain.Episode:
    check_id(series_id, "series_id")
    try:
        with uow:
            series = uow.series.get(series_id)
            if series is None:
                raise NotFound(f"no series {series_id!r}", {"series_id": "not found"})
            district = districts.of_town(series.town_code)
            episode = domain.Episode.add(caller, district, series, now=now, **fields)
            uow.episodes.add(episode)
            uow.commit()
            return episode
    except IntegrityError:
        raise AlreadyExists(
            f"the series has an episode {fields['number']} already", {"number": "already used"}
        ) from None


def list_episodes(uow: UnitOfWork, series_id: str) -> list[domain.Episode]:
    check_id(series_id, "series_id")
    with uow:
        if uow.series.get(series_id) is None:
            raise NotFound(f"no series {series_id!r}", {"series_id": "not found"})
        return uow.episodes.of_series(series_id)


def schedule_slot(
    uow: UnitOfWork, districts, caller: Caller, town_code: str, channel: str, episode_id: str, starts_at, now
) -> tuple[domain.Slot, domain.Episode, domain.Series]:
    domain.require_editor(caller)
    district = town_of(districts, town_code)
    if channel not in district.channels:
        raise InvalidArgument(f"channel is one of {', '.join(district.channels)}", {"channel": "unknown channel"})
    check_id(episode_id, "episode_id")
    if starts_at is None:
        raise InvalidArgument("starts_at is required", {"starts_at": "is required"})
    domain.require_editor_of(caller, town_code)
    for attempt in (1, 2):
        try:
            with uow:
                episode = uow.episodes.get(episode_id)
                if episode is None:
                    raise NotFound(f"no episode {episode_id!r}", {"episode_id": "not found"})
                series = uow.series.get(episode.series_id)
                assert series is not None
                network = uow.networks.locked(town_code, channel)
                ends_at = starts_at + dt.timedelta(seconds=episode.duration_seconds)
                nearby = uow.slots.between(starts_at, ends_at, [town_code], channel)
                slot = network.schedule(caller, district, episode, series, starts_at, nearby, now)
                uow.slots.add(slot)
                uow.commit()
                return slot, episode, series
        except IntegrityError:
            # Two editors made the network's row at the same moment: the second try finds it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def cancel_slot(uow: UnitOfWork, caller: Caller, slot_id: str, now):
    check_id(slot_id, "id")
    with uow:
        slot = uow.slots.get_for_update(slot_id)
        if slot is None:
            raise NotFound(f"no slot {slot_id!r}", {"id": "not found"})
        slot.cancel(caller, now)
        uow.commit()
        return with_titles(uow, [slot])[0]


def with_titles(uow: UnitOfWork, found: list[domain.Slot]):
    """Each slot with its episode and series (for the titles a schedule shows)."""
    eps = uow.episodes.by_ids({s.episode_id for s in found})
    ser = uow.series.by_ids({e.series_id for e in eps.values()})
    return [(s, eps[s.episode_id], ser[eps[s.episode_id].series_id]) for s in found]


def list_schedule(uow: UnitOfWork, districts, town_code: str, week_of: str, now):
    district = town_to_read(districts, town_code)
    monday, start, end = domain.week_of(district, day_of(district, week_of, now))
    with uow:
        found = [s for s in uow.slots.between(start, end, [town_code]) if start <= s.starts_at < end]
        return monday, with_titles(uow, found)


def programme_commitments(districts, caller: Caller, district_code: str):
    """A district's published programme commitments (the caller's district by default)."""
    if not district_code:
        district = districts.of_area(caller.area_code)
        if district is None:
            raise NotFound(f"your area {caller.area_code} is in no district of this platform: name one")
        return district
    return districts.named(district_code)


def compliance(uow: UnitOfWork, districts, caller: Caller, week_of: str, now):
    if domain.Role.STATION_EDITOR not in caller.roles:
        raise PermissionDenied("the compliance check is for the broadcasting station's editors (station_editor)")
    district = districts.of_area(caller.area_code)
    if district is None:
        raise PermissionDenied(f"your area {caller.area_code} is in no district of this platform")
    towns = [code for code in district.towns if code.startswith(caller.area_code)]
    monday, start, end = domain.week_of(district, day_of(district, week_of, now))
    with uow:
        found = [s for s in uow.slots.between(start, end, towns) if start <= s.starts_at < end]
        reports = uow.play_reports.of_slots({s.id for s in found}) if found else []
        viewers = uow.progress.viewers_by_town(start, end, towns)
        village_of = {c.id: c.village_code for c in uow.controllers.of_towns(set(towns))}
    return district, monday, domain.compliance(district, monday, towns, found, reports, viewers, village_of)


# --- on demand, and today's programmes ---


def programmes_today(uow: UnitOfWork, districts, caller: Caller, now):
    """Today's slots of the household's town (its area code's first nine digits); none outside the districts."""
    caller.require_household()
    district = districts.of_area(caller.area_code)
    town = district.towns.get(caller.area_code[:9]) if district else None
    if district is None or town is None:
        return None, now.date(), []
    today = now.astimezone(district.zone).date()
    start = dt.datetime.combine(today, dt.time(), district.zone).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    with uow:
        return (district, town), today, uow.slots.of_day_with_titles(town.code, start, end)


def report_progress(uow: UnitOfWork, districts, caller: Caller, episode_id: str, member: str, position: int, now):
    caller.require_household()
    check_id(episode_id, "episode_id")
    for attempt in (1, 2):
        try:
            with uow:
                episode = uow.episodes.get(episode_id)
                if episode is None:
                    raise NotFound(f"no episode {episode_id!r}", {"episode_id": "not found"})
                district = districts.of_town(episode.town_code)
                domain.check_member(district, member)
                found = uow.progress.of_member_for_update(caller.household_id, member, episode_id)
                if found is None:
                    found = uow.progress.add(domain.Progress.start(caller, district, member, episode, now))
                found.report(district, position, now)
                uow.commit()
                return found
        except IntegrityError:
            # The member's first two reports at the same moment: the second try finds the first.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def my_courses(uow: UnitOfWork, caller: Caller, member: str):
    household_id = caller.require_household()
    if len(member) > MAX_MEMBER_FILTER:
        raise InvalidArgument(f"member is at most {MAX_MEMBER_FILTER} characters", {"member": "too long"})
    with uow:
        found = uow.progress.of_household(household_id, member)
        series_ids = {p.series_id for p in found}
        courses = domain.my_courses(found, uow.episodes.counts(series_ids))
        series = uow.series.by_ids(series_ids)
        eps = uow.episodes.by_ids({c.resume.episode_id for c in courses})
        return [(c, series[c.series_id], eps[c.resume.episode_id]) for c in courses]


# --- the air classroom ---


def plan_session(uow: UnitOfWork, districts, caller: Caller, fields: dict, now) -> domain.Session:
    domain.require_editor(caller)
    check_id(fields["episode_id"], "episode_id")
    with uow:
        episode = uow.episodes.get(fields.pop("episode_id"))
        if episode is None:
            raise NotFound("no such episode", {"episode_id": "not found"})
        district = districts.of_town(episode.town_code)
        made = domain.Session.plan(caller, district, episode, now=now, secret=secrets.token_hex(32), **fields)
        uow.sessions.add(made)
        uow.commit()
        return made


def list_sessions(uow: UnitOfWork, districts, caller: Caller, town_code: str, now):
    if not town_code and caller.is_household():
        town_code = caller.area_code[:9]
    town_to_read(districts, town_code)
    with uow:
        found = uow.sessions.upcoming_of_town(town_code, now)
        return [(s, titles_of(uow, s)) for s in found]


def titles_of(uow: UnitOfWork, s: domain.Session) -> str:
    e = uow.episodes.get(s.episode_id)
    return e.title if e else ""


def _session(uow: UnitOfWork, session_id: str, lock: bool = False) -> domain.Session:
    check_id(session_id, "session_id")
    found = uow.sessions.locked(session_id) if lock else uow.sessions.get(session_id)
    if found is None:
        raise NotFound(f"no session {session_id!r}", {"session_id": "not found"})
    return found


def cancel_sign_up(uow: UnitOfWork, districts, caller: Caller, session_id: str, member: str, now):
    caller.require_household()
    with uow:
        session = _session(uow, session_id, lock=True)
        offered = session.cancel(caller, districts.of_town(session.town_code), member, now)
        uow.commit()
        mine = session.mine(caller.require_household(), member)
        assert mine is not None
        return mine, offered, session, titles_of(uow, session)


def sign_up(uow: UnitOfWork, districts, caller: Caller, session_id: str, member: str, now, wait: bool = False):
    caller.require_household()
    try:
        with uow:
            session = _session(uow, session_id, lock=True)
            made = session.sign_up(caller, districts.of_town(session.town_code), member, now, wait)
            uow.commit()
            return made, session, titles_of(uow, session)
    except IntegrityError:
        # The same member's sign-up twice at once (SQLite, no lock wait): the first one stands.
        raise AlreadyExists("this member has a place already", {"member": "signed up already"}) from None


def check_in_code(uow: UnitOfWork, districts, caller: Caller, session_id: str, now):
    with uow:
        session = _session(uow, session_id)
        district = districts.of_town(session.town_code)
        code = session.code_for(caller, district, now)
        changes = (int(now.timestamp()) // district.code_seconds + 1) * district.code_seconds
        return session, code, dt.datetime.fromtimestamp(changes, dt.UTC)


def roster(uow: UnitOfWork, caller: Caller, session_id: str):
    with uow:
        return _session(uow, session_id).roster_for(caller)


def check_in(uow: UnitOfWork, districts, caller: Caller, r, now):
    with uow:
        session = _session(uow, r.session_id, lock=True)
        entry = session.check_in(caller, districts.of_town(session.town_code), r.member, r.code, r.household_id, now)
        uow.commit()
        return entry


def record_attendance(uow: UnitOfWork, caller: Caller, r, now):
    with uow:
        session = _session(uow, r.session_id, lock=True)
        entry = session.record_for(caller, r.household_id, r.consent, r.member, r.status, now)
        uow.commit()
        return entry


def _record(uow: UnitOfWork, districts, caller: Caller, series_id: str, member: str, now):
    household_id = caller.require_household()
    check_id(series_id, "series_id")
    series = uow.series.get(series_id)
    if series is None:
        raise NotFound(f"no series {series_id!r}", {"series_id": "not found"})
    district = districts.of_town(series.town_code)
    domain.check_member(district, member)
    return (
        series,
        district,
        domain.attendance_of(district, uow.sessions.of_series(series_id), household_id, member, now),
    )


def my_attendance(uow: UnitOfWork, districts, caller: Caller, series_id: str, member: str, now):
    with uow:
        return _record(uow, districts, caller, series_id, member, now)[2]


def issue_certificate(uow: UnitOfWork, districts, caller: Caller, series_id: str, member: str, now):
    try:
        with uow:
            series, district, record = _record(uow, districts, caller, series_id, member, now)
            found = uow.certificates.of_member(series_id, caller.household_id, member)
            if found is not None:
                return found, series
            made = domain.Certificate.issue(caller, district, series_id, member, record, now)
            uow.certificates.add(made)
            uow.commit()
            return made, series
    except IntegrityError:
        with uow:
            found = uow.certificates.of_member(series_id, caller.household_id, member)
            assert found is not None
            return found, uow.series.get(series_id)


# --- playback on the village loudspeakers ---


def register_controller(uow: UnitOfWork, allowed, caller: Caller, controller_id: str, village_code: str, endpoint, now):
    """An editor registers a village's loudspeaker controller (again: moves it, in their own towns only)."""
    domain.require_editor(caller)
    made = domain.Controller.register(caller, allowed, controller_id, village_code, endpoint, now)
    with uow:
        found = uow.controllers.get(controller_id)
        if found is None:
            uow.controllers.add(made)
        else:
            found.move(caller, allowed, made)
            made = found
        uow.commit()
        return made


def due_playouts(uow: UnitOfWork, districts: domain.Districts, now: dt.datetime) -> list[domain.Due]:
    """The loudspeaker slots to send now, each to its town's controllers. A controller in a
    village under an emergency alert gets no programme (its report: preempted); a slot whose
    time passed unsent is missed."""
    due: list[domain.Due] = []
    with uow:
        for district in districts.all.values():
            _resume_after_alerts(uow, district, now)
            slots = [
                s
                for s in uow.slots.due_on(district.playout_channel, now + district.send_ahead)
                if s.town_code in district.towns
            ]
            if not slots:
                continue
            alerts = uow.alerts.active(now)
            controllers = uow.controllers.of_towns({s.town_code for s in slots})
            episodes = uow.episodes.by_ids({s.episode_id for s in slots})
            for s in slots:
                if s.ends_at <= now:
                    s.playout = domain.Playout.MISSED
                    _report(uow, s, "", domain.PlayResult.FAILED, "its time passed before it was sent", now)
                    continue
                mine = [c for c in controllers if c.town_code == s.town_code]
                free = []
                for c in mine:
                    alert = domain.alert_over(alerts, c.village_code, now)
                    if alert is None:
                        free.append(c)
                    else:
                        _report(uow, s, c.id, domain.PlayResult.PREEMPTED, f"emergency alert {alert.alert_id}", now)
                if mine and not free:
                    s.playout = domain.Playout.PREEMPTED
                else:
                    e = episodes[s.episode_id]
                    due.append(domain.Due(s, e.title, e.media_url, free))
        uow.commit()
    return due


def _resume_after_alerts(uow: UnitOfWork, district: domain.District, now: dt.datetime) -> None:
    """Each programme an alert cut whose alerts are all over: its rest queued in the town's next free time."""
    cut = [s for s in uow.slots.interrupted(district.playout_channel) if s.town_code in district.towns]
    if not cut:
        return
    alerts = uow.alerts.active(now)
    villages = {c.village_code for c in uow.controllers.of_towns({s.town_code for s in cut})}
    for s in cut:
        if any(domain.alert_over(alerts, v, now) for v in villages if v.startswith(s.town_code)):
            continue
        report = uow.play_reports.of_slot_controller(s.id, "")
        cut_at = report.at if report is not None else now
        ahead = uow.slots.between(now, now + dt.timedelta(days=1), [s.town_code], s.channel)
        rest = domain.resumption(s, cut_at, now, ahead)
        uow.slots.add(rest)
        if report is not None:
            local = rest.starts_at.astimezone(district.zone)
            report.detail = f"{report.detail}; resumed {local:%H:%M} from {rest.from_seconds} s"[:200]


def _report(uow: UnitOfWork, slot: domain.Slot, controller_id: str, result: str, detail: str, now) -> None:
    uow.play_reports.add(domain.PlayReport(slot.id, controller_id, slot.town_code, result, detail, now))


def record_plays(uow: UnitOfWork, slot_id: str, reports: dict[str, tuple[str, str]], now: dt.datetime) -> None:
    """The controllers' play reports of a slot sent, and the slot marked sent. Reports already
    kept (a slot sent again after a crash) stay as they were."""
    with uow:
        slot = uow.slots.get_for_update(slot_id)
        if slot is None or slot.playout != domain.Playout.WAITING:
            return
        kept = {r.controller_id for r in uow.play_reports.of_slots({slot_id})}
        for controller_id, (result, detail) in reports.items():
            if controller_id not in kept:
                _report(uow, slot, controller_id, result, detail, now)
        slot.playout = domain.Playout.SENT
        uow.commit()


def alert_broadcast(
    uow: UnitOfWork, districts: domain.Districts, alert_id: str, area_codes: list[str], expires, withdrawn: bool, now
) -> None:
    """An emergency alert from the alerts service: kept while in force; a programme on air in its
    area is cut (the controllers play the alert, then go on), and this is recorded."""
    with uow:
        found = uow.alerts.get(alert_id)
        if found is None:
            found = uow.alerts.add(domain.AlertInForce(alert_id, area_codes, expires, withdrawn, now))
        else:
            found.area_codes, found.expires_at, found.updated_at = area_codes, expires, now
            found.withdrawn = withdrawn or found.withdrawn
        if not found.withdrawn:
            channels = {d.playout_channel for d in districts.all.values()}
            for channel in channels:
                on_air = uow.slots.on_air(channel, now)
                villages = {c.village_code for c in uow.controllers.of_towns({s.town_code for s in on_air})}
                for s in on_air:
                    cut = any(found.covers(v, now) for v in villages if v.startswith(s.town_code))
                    if cut and not uow.play_reports.of_slot_controller(s.id, ""):
                        _report(uow, s, "", domain.PlayResult.INTERRUPTED, f"emergency alert {alert_id}", now)
                        s.playout = domain.Playout.INTERRUPTED
        uow.commit()


def play_reports(uow: UnitOfWork, slot_ids: set[str]) -> list[domain.PlayReport]:
    with uow:
        return uow.play_reports.of_slots(slot_ids)


# --- listeners: following and reminders, questions, ratings, audience ---


def _series(uow: UnitOfWork, series_id: str) -> domain.Series:
    check_id(series_id, "series_id")
    found = uow.series.get(series_id)
    if found is None:
        raise NotFound(f"no series {series_id!r}", {"series_id": "not found"})
    return found


def _episode(uow: UnitOfWork, episode_id: str) -> domain.Episode:
    check_id(episode_id, "episode_id")
    found = uow.episodes.get(episode_id)
    if found is None:
        raise NotFound(f"no episode {episode_id!r}", {"episode_id": "not found"})
    return found


def follow_series(uow: UnitOfWork, caller: Caller, series_id: str, follow: bool, now) -> bool:
    """A household follows a series (again: nothing changes) or stops; whether it follows it now."""
    household_id = caller.require_household()
    try:
        with uow:
            series = _series(uow, series_id)
            found = uow.follows.get(household_id, series.id)
            if follow and found is None:
                uow.follows.add(domain.Follow.of(caller, series, now))
            elif not follow and found is not None:
                uow.follows.remove(found)
            uow.commit()
            return follow
    except IntegrityError:
        return follow  # the same follow twice at once: the first stands


def my_follows(uow: UnitOfWork, caller: Caller) -> list[domain.Series]:
    household_id = caller.require_household()
    with uow:
        ids = [f.series_id for f in uow.follows.of_household(household_id)]
        found = uow.series.by_ids(set(ids))
        return [found[i] for i in ids if i in found]


def remind_followers(uow: UnitOfWork, districts: domain.Districts, now: dt.datetime) -> int:
    """The slots starting within their district's reminder time: their series' followers in the
    town reminded, each slot once. Returns how many reminders (events) were recorded."""
    until = now + max((d.remind_before for d in districts.all.values()), default=dt.timedelta())
    told = 0
    with uow:
        slots = uow.slots.to_remind(until, now)
        if not slots:
            return 0
        eps = uow.episodes.by_ids({s.episode_id for s in slots})
        ser = uow.series.by_ids({e.series_id for e in eps.values()})
        follows = uow.follows.of_series(set(ser))
        for s in slots:
            district = districts.of_town(s.town_code)
            if s.starts_at > now + district.remind_before:
                continue
            e = eps[s.episode_id]
            mine = [f for f in follows if f.series_id == e.series_id]
            told += domain.remind(district, s, ser[e.series_id], e, mine, now) is not None
        uow.commit()
    return told


def ask_question(uow: UnitOfWork, districts, caller: Caller, episode_id: str, member: str, text: str, now):
    household_id = caller.require_household()
    with uow:
        episode = _episode(uow, episode_id)
        district = districts.of_town(episode.town_code)
        asked = uow.questions.count_of(episode.id, household_id)
        made = domain.Question.ask(caller, district, episode, member, text, asked, now)
        uow.questions.add(made)
        uow.commit()
        return made


def rate_episode(uow: UnitOfWork, districts, caller: Caller, episode_id: str, member: str, level: str, comment, now):
    household_id = caller.require_household()
    try:
        with uow:
            episode = _episode(uow, episode_id)
            district = districts.of_town(episode.town_code)
            already = uow.ratings.of_member(episode.id, household_id, member)
            made = domain.EpisodeRating.give(caller, district, episode, member, level, comment, already, now)
            uow.ratings.add(made)
            uow.commit()
            return made
    except IntegrityError:
        raise AlreadyExists("this member has rated this episode already", {"member": "rated already"}) from None


def series_listeners(uow: UnitOfWork, caller: Caller, series_id: str):
    """A series' episodes with their audience, ratings and questions (its town's station editors)."""
    domain.require_editor(caller)
    with uow:
        series = _series(uow, series_id)
        domain.require_station_of(caller, series)
        eps = uow.episodes.of_series(series.id)
        ids = {e.id for e in eps}
        slots = uow.slots.of_episodes(ids) if ids else []
        reports = uow.play_reports.of_slots({s.id for s in slots}) if slots else []
        controllers = uow.controllers.of_towns({s.town_code for s in slots}) if slots else []
        return series, domain.listeners_of(
            eps,
            uow.progress.of_episodes(ids) if ids else [],
            slots,
            reports,
            controllers,
            uow.ratings.of_episodes(ids) if ids else [],
            uow.questions.of_episodes(ids) if ids else [],
        )
