"""Who an e2e run signs in as: one seed of this run only (households, staff, departments) for every
module of the suite, which share one platform (locally, or a release on a cluster).

Each module has households of its own, in areas chosen so that what one module does never counts
in another's figures: the emergency-broadcast module's TVs are the only ones in Youchegang and
Xincheng town (an alert's targeted terminals are exactly its own), the fault test's household is
the only one in Wangdian (its 2,000 requests fill no other point's queue). No module but the
emergency broadcast's signs in a TV in Youchegang (330411102) or Xincheng town (330411103)."""

from __future__ import annotations

import json
import pathlib
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
POINTS = json.loads((ROOT / "services/servicedesk/data/service_points.json").read_text(encoding="utf-8"))
# The made-up second district the platform also serves (DISTRICTS_DIR, e2e/platform.py): its folder of
# data files, and its service points (whose staff identity knows, as the pilot's).
DISTRICTS_DIR = ROOT / "e2e" / "districts"
SECOND = "330499"
SECOND_POINTS = json.loads((DISTRICTS_DIR / SECOND / "servicedesk.service_points.json").read_text(encoding="utf-8"))

WANGJIANGJING, HONGHE = "330411101001", "330411105001"
YOUCHEGANG, XINCHENG_TOWN, WANGDIAN = "330411102001", "330411103001", "330411104001"

# module -> the villages of its households, in order
HOUSEHOLDS = {
    "journey": [WANGJIANGJING],
    "fault": [WANGDIAN],
    "fault_channels": [WANGDIAN],
    "bad_input": [WANGJIANGJING, HONGHE],
    "desk": [WANGJIANGJING, HONGHE],
    # staff acting for households: one of agent.wjj's village, one of Honghe (another town)
    "acting": [WANGJIANGJING, HONGHE],
    "openapi": [WANGJIANGJING],
    "alerts": [YOUCHEGANG, XINCHENG_TOWN, YOUCHEGANG, XINCHENG_TOWN],
    # e-government: households of two villages with an agency point (their agents act for them), and one more
    "egov": ["330411101201", "330411105201", "330411104002"],
    # eldercare: elders' households in Xincheng sub-district
    "eldercare": ["330411001001", "330411001002", "330411001201"],
    # eldercare's medication and care orders: the elder's, the family's and a stranger's households (Wangjiangjing)
    "eldercare_care": ["330411101002", "330411101003", "330411101004"],
    # the TV and phone apps: households in Jiabei sub-district
    "tv": ["330411002001", "330411002002"],
    # the home's cache, dropped by a change someone else makes: a household of its own in Jiabei
    "home": ["330411002003"],
    # education: households in Gaozhao sub-district, whose programmes only that module schedules
    "education": ["330411004001", "330411004002"],
    # culture and tourism: households in Tanghui sub-district (agent.th's sub-district)
    "tourism": ["330411003001", "330411003002"],
    # legal outreach: households of two Wangdian villages no other module uses (the run's own advisor serves them)
    "legal": ["330411104003", "330411104003", "330411104004", "330411104004"],
    # legal's benchmark at smoke size (e2e/test_legal_benchmark.py): households that submit every quiz paper
    "legal_bench": ["330411104005"] * 4,
    # the phone app: a Gaozhao village on the district's legal roster (lawyer.gz) that no other module uses
    "phone": ["330411004003"],
    # e-government's pages (e2e/test_egov_pages.py): a household of Honghe's agency point (agent.hh's village)
    "egov_pages": ["330411105201"],
    # eldercare's family on the phone: the elder's household (Jiabei), the son's (Tanghui); no care staff covers them
    "eldercare_phone": ["330411002006", "330411003006"],
    # the phone scanning a TV's QR code, the TV removing a box, an alert on the phone: a Jiabei village no module
    # has households in (the alerts service knows it: services/alerts/data/areas.json)
    "phone_scan": ["330411002201"],
    # the standards handbook (e2e/test_handbook.py): reads only, a Xincheng town village no module writes in
    "handbook": ["330411103005"],
    # questionnaires (e2e/test_opinions.py): two Honghe village committees no other module has households in,
    # the only ones its questionnaire asks
    "opinions": ["330411105203", "330411105204"],
    # the second district (e2e/test_second_district.py): a household of its town's agency-point village,
    # one of its sub-district, and one Xiuzhou household (Honghe) no other module uses, for the other side
    "second_district": ["330499101201", "330499001001", "330411105003"],
    # the evaluation report's: a Wangjiangjing household applying for an e-government item
    "evaluation": ["330411101201"],
}
ALERT_STAFF = {"issuer": "alert_issuer", "approver": "alert_approver"}
# Eldercare's staff, by their part: (role, area) - the care centre of Xincheng sub-district, a caregiver
# of the first eldercare household's village, and another town's care centre (which sees none of them).
ELDERCARE_STAFF = {
    "care_operator": ("care_operator", "330411001"),
    "caregiver": ("village_caregiver", "330411001001"),
    "other_operator": ("care_operator", "330411105"),
    # the eldercare_care module's: the caregiver of its elder's village, Wangjiangjing's care centre
    "care_caregiver": ("village_caregiver", "330411101002"),
    "care_operator_wjj": ("care_operator", "330411101"),
    # e2e/test_eldercare_phone.py's: the care centre of its elder's sub-district (Jiabei)
    "care_operator_jb": ("care_operator", "330411002"),
}
# Education's broadcasting station editors, by their part: (role, area) - the district's and Gaozhao's.
EDUCATION_STAFF = {
    "district_editor": ("station_editor", "330411"),
    "gaozhao_editor": ("station_editor", "330411004"),
    # the village agent of the first education household's village, who records whoever missed the code
    "gaozhao_agent": ("village_agent", "330411004001"),
}
# E-government's district government-service office, which reads the figures (services/egov defines the role).
EGOV_STAFF = {"egov_office": ("egov_office", "330411")}
# The district's assessor, who reads the pilot's evaluation report (services/evaluation defines the role), and
# another district's, who may not.
EVALUATION_STAFF = {"assessor": ("assessor", "330411"), "other_assessor": ("assessor", "330402")}
# Culture and tourism's gate staff (services/tourism defines the role).
TOURISM_STAFF = {"gate": ("venue_gate_staff", "330411103")}
# Questionnaires' editors (services/opinions defines the role): Honghe's, and Wangjiangjing's (who sees none of it).
OPINIONS_STAFF = {"editor": ("opinion_editor", "330411105"), "other_editor": ("opinion_editor", "330411101")}
# Legal outreach's staff, by their part: (role, area) - two judicial officers (an author and a reviewer),
# the villages' legal advisor (on the run's roster, Seed.legal_data), the first village's practice
# station manager and village agent.
LEGAL_VILLAGES = ("330411104003", "330411104004")
LEGAL_STAFF = {
    "legal_author": ("judicial_officer", "330411"),
    "legal_reviewer": ("judicial_officer", "330411"),
    "advisor": ("legal_advisor", "330411104"),
    "station_manager": ("station_manager", LEGAL_VILLAGES[0]),
    "legal_agent": ("village_agent", LEGAL_VILLAGES[0]),
}
# The e2e run's answer time, so that a question escalates within the test (5 working hours in production).
LEGAL_ANSWER_HOURS = 0.002
# The second district's staff of every service with staff views, and Xiuzhou's counterparts where no
# other module has one: (role, area).
SECOND_STAFF = {
    "sf_egov_office": ("egov_office", SECOND),
    "sf_care_operator": ("care_operator", SECOND),
    "xz_care_operator": ("care_operator", "330411"),
    "sf_editor": ("station_editor", SECOND),
    "sf_judicial_officer": ("judicial_officer", SECOND),
    "sf_gate": ("venue_gate_staff", "330499101"),
    "sf_issuer": ("alert_issuer", SECOND),
    "xz_issuer": ("alert_issuer", "330411"),
}
# Departments (client credentials); the trusted one is in services/alerts/data/trusted_senders.json.
DEPARTMENTS = {
    "trusted": ("dept-meteorology", "气象台"),
    "untrusted": ("dept-water-resources", "水利局"),
    # e-government's competent departments (services/egov/data/330411.json names their client ids)
    "civil_affairs": ("dept-civil-affairs", "秀洲区民政局"),
    "hrss": ("dept-hrss", "秀洲区人力资源和社会保障局"),
    # the e-certificate registry's: serves ID cards and household registers
    "public_security": ("dept-public-security", "嘉兴市公安局秀洲区分局"),
}


class Seed:
    """The run's households, staff and departments, and the passwords to sign them in."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        self.households: dict[str, list[dict]] = {}
        n = 0
        for module, villages in HOUSEHOLDS.items():
            self.households[module] = []
            for village in villages:
                n += 1
                self.households[module].append(
                    {
                        "id": f"hh-e2e-{run_id}-{n}",
                        "name": f"测试家庭 {n}",
                        "area_code": village,
                        "address": f"测试地址 {n}",
                        "members": [
                            {
                                "phone": f"139{zlib.crc32(run_id.encode()) % 10**4:04d}{n:04d}",
                                "name": f"居民{n}",
                                "password": f"pw-{n}",
                            }
                        ],
                    }
                )
        self.staff = [{**s, "name": s["username"], "password": self.password(s["username"])} for s in _point_staff()]
        # The alert staff, by their part: {"username", "password", "roles"}.
        self.alert_staff = {
            part: {"username": f"{part}-{run_id}", "password": f"pw-{part}-{run_id}", "roles": [role]}
            for part, role in ALERT_STAFF.items()
        }
        self.staff += [{**s, "name": part, "area_code": "330411"} for part, s in self.alert_staff.items()]
        self.eldercare_staff = self._staff_of(ELDERCARE_STAFF)
        self.education_staff = self._staff_of(EDUCATION_STAFF)
        self.tourism_staff = self._staff_of(TOURISM_STAFF)
        self.egov_staff = self._staff_of(EGOV_STAFF)
        self.legal_staff = self._staff_of(LEGAL_STAFF)
        self.opinions_staff = self._staff_of(OPINIONS_STAFF)
        self.second_staff = self._staff_of(SECOND_STAFF)
        self.evaluation_staff = self._staff_of(EVALUATION_STAFF)
        self.departments = {
            part: {"client_id": client_id, "client_secret": f"{client_id}-{run_id}"}
            for part, (client_id, _) in DEPARTMENTS.items()
        }
        self.department_entries = [
            {**d, "name": DEPARTMENTS[part][1], "roles": ["department_officer"], "area_code": "330411"}
            for part, d in self.departments.items()
        ]

    def _staff_of(self, table: dict[str, tuple[str, str]]) -> dict[str, dict]:
        """Staff of a module by their part, {part: (role, area)}, added to the run's staff."""
        staff = {
            part: {
                "username": f"{part}-{self.run_id}",
                "password": f"pw-{part}-{self.run_id}",
                "roles": [role],
                "area_code": area,
            }
            for part, (role, area) in table.items()
        }
        self.staff += [{**s, "name": part} for part, s in staff.items()]
        return staff

    def legal_data(self) -> dict:
        """Legal's district data for this run (LEGAL_DATA_DIR): the district's own, with an answer time
        of seconds on a duty roster that never closes, the run's advisor for the legal villages and a
        practice station in the first."""
        data = json.loads((ROOT / "services/legal/data/330411.json").read_text(encoding="utf-8"))
        data["consultation"]["answer_within_working_hours"] = LEGAL_ANSWER_HOURS
        data["consultation"]["working_hours"] = {"start": "00:00", "end": "23:59:59", "every_day": True}
        advisor = self.legal_staff["advisor"]["username"]
        data["advisors"].append({"username": advisor, "name": "王店法律顾问(测试)", "villages": list(LEGAL_VILLAGES)})
        data["volunteering"]["stations"][LEGAL_VILLAGES[0]] = "王店镇测试村新时代文明实践站"
        return data

    @staticmethod
    def password(username: str) -> str:
        """A service point's staff member's password. The same in every run: on a cluster, identity
        keeps the staff a first run loaded (a seed adds who is missing; it changes nobody)."""
        return f"pw-{username}-e2e"

    def as_seed_file(self) -> dict:
        """What identity loads (IDENTITY_SEED_FILE)."""
        return {
            "households": [h for hs in self.households.values() for h in hs],
            "staff": self.staff,
            "departments": self.department_entries,
        }


def _point_staff() -> list[dict]:
    """Every service point's managers, technicians and village agents, and the districts' managers
    (the pilot's and the second district's)."""
    return _staff_of_points(POINTS) + _staff_of_points(SECOND_POINTS) + _second_district_advisors()


def _second_district_advisors() -> list[dict]:
    """The second district's legal advisors (its legal.json's roster), in their town."""
    legal = json.loads((DISTRICTS_DIR / SECOND / "legal.json").read_text(encoding="utf-8"))
    return [
        {"username": a["username"], "roles": ["legal_advisor"], "area_code": a["villages"][0][:9]}
        for a in legal["advisors"]
    ]


def _staff_of_points(points: dict) -> list[dict]:
    staff = []
    for p in points["service_points"]:
        tc = p["township_code"]
        staff += [{"username": u, "roles": ["service_point_manager"], "area_code": tc} for u in p["managers"]]
        staff += [{"username": u, "roles": ["technician"], "area_code": tc} for u in p["technicians"]]
        staff += [
            {"username": u, "roles": ["village_agent"], "area_code": a["area_code"]}
            for a in p["agency_points"]
            for u in a["agents"]
        ]
    staff += [
        {"username": u, "roles": ["service_point_manager"], "area_code": points["district"]["code"]}
        for u in points["district"]["managers"]
    ]
    return staff
