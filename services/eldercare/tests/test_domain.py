"""Eldercare's rules, without I/O: the thing model, provisioning, messages, rules, alarms and their
escalation, and who may see an elder."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from eldercare import domain, store
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from runtime.testing import department, household, staff

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
PROFILES = store.profiles()
KIT = {"radar_fall_sensor", "smoke_sensor", "gas_sensor", "water_meter", "call_button", "bed_sensor"}


def test_the_thing_model_covers_the_kit_the_remote_and_the_speaker():
    assert KIT | {"stb_remote", "smart_speaker"} <= set(PROFILES)
    assert "fall" in PROFILES["radar_fall_sensor"].events and "sos" in PROFILES["call_button"].events
    assert {"heart_rate", "breathing_rate"} <= set(PROFILES["bed_sensor"].telemetry)
    assert [r.kind for r in PROFILES["water_meter"].rules] == ["inactivity"]
    # every rule names a telemetry key of its profile, every event an alarm with a name citizens read
    for p in PROFILES.values():
        assert all(r.key in p.telemetry for r in p.rules), p.key
        assert all(e["alarm"] in store.care()["alarm_names"] for e in p.events.values()), p.key
        assert all(r.alarm in store.care()["alarm_names"] for r in p.rules), p.key


def provisioned(key: str = "smoke_sensor") -> tuple[domain.Device, str]:
    return domain.Device.provision(PROFILES[key], f"demo-{key.replace('_', '-')}-secret", "SN-1", None, NOW)


def test_a_new_device_of_an_allow_new_profile_gets_a_credential_of_its_own():
    device, credential = provisioned()
    assert device.state == "provisioned" and device.elder_id == "" and len(credential) >= 24
    assert device.credential_matches(credential) and not device.credential_matches(credential + "x")
    assert credential not in device.credential_sha256, "only the hash is kept"
    assert device.pull_events() == [domain.DeviceProvisioned(device.id, "smoke_sensor", "", NOW)]
    other, credential2 = provisioned()
    assert other.id != device.id and credential2 != credential


def test_provisioning_refuses_a_wrong_secret_a_serial_not_on_the_list_and_a_second_time():
    with pytest.raises(NotFound):
        domain.Device.provision(PROFILES["smoke_sensor"], "guess", "SN-1", None, NOW)
    with pytest.raises(FailedPrecondition):
        provisioned("call_button")  # pre-provisioned: only registered serials
    registered = domain.Device.register(PROFILES["call_button"], "SN-1", "elder-1", NOW)
    device, _ = domain.Device.provision(PROFILES["call_button"], "demo-call-button-secret", "SN-1", registered, NOW)
    assert device is registered and device.elder_id == "elder-1"
    with pytest.raises(AlreadyExists):
        domain.Device.provision(PROFILES["call_button"], "demo-call-button-secret", "SN-1", device, NOW)


def msg(**doc) -> bytes:
    return json.dumps({"id": "m-1", "credential": "c", **doc}).encode()


@pytest.mark.parametrize(
    "raw, kind",
    [
        (b"not json", "telemetry"),
        (b"[1, 2]", "telemetry"),
        (msg(values={}), "telemetry"),
        (msg(values={"unknown_key": 1}), "telemetry"),
        (msg(values={"heart_rate": 999}), "telemetry"),  # out of its range
        (msg(values={"heart_rate": "70"}), "telemetry"),
        (msg(values={"in_bed": 1}), "telemetry"),
        (msg(event="fall"), "events"),  # not an event of a bed sensor
        (json.dumps({"credential": "c", "values": {"heart_rate": 70}}).encode(), "telemetry"),  # no id
        (json.dumps({"id": "m", "values": {"heart_rate": 70}}).encode(), "telemetry"),  # no credential
        (msg(values={"heart_rate": 70}, pad="x" * 5000), "telemetry"),  # oversized
    ],
)
def test_a_bad_message_is_refused(raw, kind):
    with pytest.raises(domain.BadMessage):
        domain.read_message(raw, kind, PROFILES["bed_sensor"], 4096)


def test_bed_telemetry_out_of_the_normal_range_breaches_its_rule():
    device = domain.Device("d", "bed_sensor", "SN", "provisioned", "e", NOW)
    assert device.take_telemetry(PROFILES["bed_sensor"], {"heart_rate": 72, "breathing_rate": 16}, NOW) == []
    breached = device.take_telemetry(PROFILES["bed_sensor"], {"heart_rate": 150}, NOW + S)
    assert [r.alarm for r in breached] == ["abnormal_heart_rate"]
    assert [r.alarm for r in device.take_telemetry(PROFILES["bed_sensor"], {"breathing_rate": 5}, NOW)] == [
        "abnormal_breathing"
    ]
    assert device.values() == {"heart_rate": 150, "breathing_rate": 5} and device.last_seen_at == NOW + S


def test_inactivity_is_due_exactly_at_its_time_and_activity_starts_it_again():
    meter = PROFILES["water_meter"]
    (rule,) = meter.inactivity_rules()
    limit = dt.timedelta(seconds=rule.seconds)
    device = domain.Device("d", "water_meter", "SN", "provisioned", "e", NOW)
    device.activity = json.dumps({rule.alarm: NOW.isoformat()})
    assert device.inactive(meter, NOW + limit - S) == []
    assert device.inactive(meter, NOW + limit) == [(rule, NOW)]
    device.take_telemetry(meter, {"flow_litres": 0}, NOW + limit)  # a reading, but no water used
    assert device.inactive(meter, NOW + limit) == [(rule, NOW)]
    device.take_telemetry(meter, {"flow_litres": 3.5}, NOW + limit)
    assert device.inactive(meter, NOW + 2 * limit - S) == []


def gas_readings(device: domain.Device, readings) -> list[list[str]]:
    """The alarms each reading (seconds after NOW, %LEL) raises."""
    gas = PROFILES["gas_sensor"]
    return [[r.alarm for r in device.take_telemetry(gas, {"gas_lel": v}, NOW + t * S)] for t, v in readings]


def test_gas_over_its_level_is_raised_only_once_it_has_lasted_its_duration():
    (rule,) = [r for r in PROFILES["gas_sensor"].rules if r.kind == domain.RuleKind.DURATION]
    d, over = int(rule.seconds), rule.above + 1
    # One reading short of the duration: nothing yet (every 10 s, from t=0 to t=d-1).
    device = domain.Device("d", "gas_sensor", "SN", "provisioned", "e", NOW)
    assert gas_readings(device, [(t, over) for t in (0, 10, 20, d - 1)]) == [[], [], [], []]
    # Exactly at the duration: raised, once for the spell (the next reading out of range adds nothing).
    assert gas_readings(device, [(d, over), (d + 10, over)]) == [[rule.alarm], []]
    # A reading back in range ends the spell: a new one needs its whole duration again.
    assert gas_readings(device, [(d + 20, rule.above), (d + 30, over), (2 * d + 29, over), (2 * d + 30, over)]) == [
        [],
        [],
        [],
        [rule.alarm],
    ]
    # A spell interrupted one reading short never raises it; exactly at the level is in range.
    device = domain.Device("d2", "gas_sensor", "SN2", "provisioned", "e", NOW)
    assert gas_readings(device, [(0, over), (d - 1, over), (d - 1, rule.above), (d, over), (2 * d - 1, over)]) == [
        [],
        [],
        [],
        [],
        [],
    ]


def test_a_fast_heart_rate_is_raised_when_it_comes_back_its_count_within_the_window():
    bed = PROFILES["bed_sensor"]
    (rule,) = [r for r in bed.rules if r.kind == domain.RuleKind.REPEATING]
    fast, calm, w, n = rule.above + 1, rule.above - 20, int(rule.seconds), rule.count

    def beat(device, t: int, value) -> list[str]:
        return [r.alarm for r in device.take_telemetry(bed, {"heart_rate": value}, NOW + t * S) if r is rule]

    device = domain.Device("d", "bed_sensor", "SN", "provisioned", "e", NOW)
    # n-1 episodes: none; staying fast is one episode, not several.
    seen = []
    for k in range(n - 1):
        seen += beat(device, 2 * k, fast) + beat(device, 2 * k + 1, fast) + beat(device, 2 * k + 1, calm)
    assert seen == []
    # The n-th, exactly the window after the first: raised; the count starts again after it.
    assert beat(device, w, fast) == [rule.alarm]
    assert beat(device, w + 1, calm) + beat(device, w + 2, fast) == []
    # n episodes whose first is one second out of the window: not raised.
    device = domain.Device("d2", "bed_sensor", "SN2", "provisioned", "e", NOW)
    seen = []
    for t in [0, *range(2, 2 * (n - 1), 2)]:
        seen += beat(device, t, fast) + beat(device, t + 1, calm)
    assert seen == [] and beat(device, w + 1, fast) == []


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "duration", "above": 10},  # no duration
        {"kind": "duration", "seconds": 30},  # no level
        {"kind": "repeating", "above": 110, "seconds": 600, "count": 1},  # once is not repeating
        {"kind": "inactivity", "seconds": 60},  # no activity named
        {"kind": "sometimes", "above": 1},
    ],
)
def test_a_profile_rule_that_is_no_rule_is_refused_when_the_profiles_load(rule):
    with pytest.raises(ValueError):
        domain.Rule(alarm="x", key="k", severity="MAJOR", **rule)


WHERE = domain.Where("elder-1", "hh-elder", "330411001001")
CRITICAL = store.escalation("CRITICAL")


def sos() -> domain.Alarm:
    alarm = domain.Alarm.raise_("sos", "CRITICAL", "dev-1", WHERE, NOW)
    alarm.pull_events()
    return alarm


def test_an_alarm_is_raised_acknowledged_and_resolved_with_its_follow_up():
    operator = staff("care_operator", username="op-1", area_code="330411001")
    alarm = domain.Alarm.raise_("sos", "CRITICAL", "dev-1", WHERE, NOW)
    assert alarm.pull_events() == [domain.AlarmRaised(alarm.id, "sos", "CRITICAL", "dev-1", WHERE, NOW)]
    alarm.repeat(NOW + S)
    assert (alarm.repeats, alarm.last_at, alarm.state) == (1, NOW + S, "raised")
    alarm.acknowledge(operator, NOW + 30 * S)
    alarm.resolve(operator, "已电话联系老人，误按", NOW + 60 * S)
    assert (alarm.state, alarm.resolved_by, alarm.follow_up, alarm.open_key) == (
        "resolved",
        "op-1",
        "已电话联系老人，误按",
        None,
    )
    assert [type(e) for e in alarm.pull_events()] == [domain.AlarmAcknowledged, domain.AlarmResolved]


def test_out_of_order_and_unauthorized_steps_are_refused_and_change_nothing():
    operator = staff("care_operator", area_code="330411001")
    alarm = sos()
    with pytest.raises(FailedPrecondition):
        alarm.resolve(operator, "done", NOW)  # not acknowledged yet
    with pytest.raises(PermissionDenied):
        alarm.resolve(household("hh-elder"), "done", NOW)  # family and households do not close alarms
    alarm.acknowledge(household("hh-elder"), NOW)
    with pytest.raises(FailedPrecondition):
        alarm.acknowledge(operator, NOW)
    with pytest.raises(InvalidArgument):
        alarm.resolve(operator, "", NOW)
    with pytest.raises(InvalidArgument):
        alarm.resolve(operator, "x" * 1001, NOW)
    assert alarm.state == "acknowledged" and [type(e) for e in alarm.pull_events()] == [domain.AlarmAcknowledged]


def test_reminders_follow_the_timetable_until_someone_acknowledges():
    alarm = sos()
    alarm.escalate(CRITICAL, NOW)
    alarm.escalate(CRITICAL, NOW + 30 * S)
    steps = CRITICAL.timetable.steps
    alarm.escalate(CRITICAL, NOW + steps[1].after)
    sent = [(e.who, e.repeat) for e in alarm.pull_events() if isinstance(e, domain.AlarmReminded)]
    assert sent[0] == ("family", 0) and sent[-1] == ("village_caregiver", 0) and alarm.escalation_step == 1
    alarm.acknowledge(household("hh-elder"), NOW + steps[1].after)
    alarm.pull_events()
    alarm.escalate(CRITICAL, NOW + dt.timedelta(hours=1))
    assert alarm.pull_events() == [] and not alarm.overdue, "an acknowledgement stops the reminders"


def test_a_critical_alarm_unacknowledged_at_its_deadline_is_overdue_once():
    alarm = sos()
    deadline = NOW + CRITICAL.acknowledge_within
    assert CRITICAL.acknowledge_within == dt.timedelta(minutes=10)  # the data's figure
    alarm.escalate(CRITICAL, deadline - S)
    assert not alarm.overdue
    alarm.escalate(CRITICAL, deadline)
    alarm.escalate(CRITICAL, deadline + S)
    assert alarm.overdue and [e for e in alarm.pull_events() if isinstance(e, domain.AlarmOverdue)] == [
        domain.AlarmOverdue(alarm.id, WHERE, deadline)
    ]


@pytest.mark.parametrize(
    "caller, sees",
    [
        (household("hh-elder"), True),  # the elder's household
        (household("hh-son"), True),  # bound family
        (household("hh-other"), False),  # a family member of another elder
        (staff("care_operator", area_code="330411001"), True),  # the care centre of the area
        (staff("village_caregiver", area_code="330411001001"), True),  # the village's caregiver
        (staff("village_caregiver", area_code="330411001002"), False),  # another village's
        (staff("care_operator", area_code="330411105"), False),  # another town's care centre
        (staff("technician", area_code="330411"), False),  # staff without a care role
        (department(), False),
    ],
)
def test_who_may_see_an_elder(caller, sees):
    assert domain.may_see(caller, "hh-elder", "330411001001", {"hh-son"}) is sees


def test_a_family_code_binds_once_within_its_window_and_not_the_elders_own_household():
    home = household("hh-elder", area_code="330411001001")
    elder = domain.Elder.enrol(home, "张阿婆", 1940, ["高血压"], ["13900000000"], NOW)
    invitation = domain.FamilyInvitation.issue(elder, home, NOW, dt.timedelta(minutes=10))
    assert len(invitation.code) == 8 and invitation.code.isdigit()
    with pytest.raises(NotFound):
        domain.FamilyInvitation.issue(elder, household("hh-other"), NOW, dt.timedelta(minutes=10))
    with pytest.raises(FailedPrecondition):
        invitation.accept(home, NOW)
    late = domain.FamilyInvitation(invitation.code, elder.id, "hh-elder", NOW)
    with pytest.raises(NotFound):
        late.accept(household("hh-son"), NOW)
    binding = invitation.accept(household("hh-son"), NOW + S)
    assert (binding.elder_id, binding.household_id) == (elder.id, "hh-son")
    with pytest.raises(NotFound):
        invitation.accept(household("hh-daughter"), NOW + S)


@pytest.mark.parametrize(
    "name, year, conditions, field",
    [
        ("", 1940, [], "name"),
        ("x" * 51, 1940, [], "name"),
        ("a\x00", 1940, [], "name"),
        ("张", 1800, [], "birth_year"),
        ("张", 1940, ["x"] * 11, "conditions"),
        ("张", 1940, ["a\nb"], "conditions"),
    ],
)
def test_a_bad_elder_is_refused_naming_the_field(name, year, conditions, field):
    with pytest.raises(InvalidArgument) as info:
        domain.Elder.enrol(household(), name, year, conditions, [], NOW)
    assert field in info.value.field_errors
    with pytest.raises(PermissionDenied):
        domain.Elder.enrol(staff("care_operator"), "张", 1940, [], [], NOW)
