"""The loudspeakers' egress NetworkPolicy says what the alerts service's allow-list says: the
networks and ports of services/runtime/data/loudspeaker_endpoints.json, and nothing wider."""

from __future__ import annotations

import json

import pytest
import yaml

from .chartlib import CHART, CI_VALUES, ROOT, by_name, checked, merged_values, render_ci

ALLOW_LIST = json.loads((ROOT / "services" / "runtime" / "data" / "loudspeaker_endpoints.json").read_text())
WITH_POLICIES = [p for p in CI_VALUES if merged_values(p)["networkPolicy"]["enabled"]]


def test_the_default_values_are_the_allow_list():
    values = yaml.safe_load((CHART / "values.yaml").read_text())["networkPolicy"]["dependencies"]["loudspeakers"]
    assert values["to"] == [{"ipBlock": {"cidr": n}} for n in ALLOW_LIST["networks"]]
    assert values["ports"] == ALLOW_LIST["ports"]
    checked(f"the chart's loudspeaker networks are the allow-list's: {ALLOW_LIST['networks']} {ALLOW_LIST['ports']}")


@pytest.mark.parametrize("values", WITH_POLICIES, ids=[p.stem for p in WITH_POLICIES])
def test_the_loudspeakers_may_reach_only_the_allow_lists_networks_and_ports(values):
    [policy] = [
        np for name, np in by_name(render_ci(values), "NetworkPolicy").items() if name.endswith("-alerts-loudspeakers")
    ]
    wanted = {(n, p) for n in ALLOW_LIST["networks"] for p in ALLOW_LIST["ports"]}
    reached = set()
    for rule in policy["spec"]["egress"]:
        ports = [p["port"] for p in rule.get("ports", [])]
        blocks = [peer["ipBlock"] for peer in rule.get("to", []) if "ipBlock" in peer]
        if not blocks:
            continue  # DNS, the database, Kafka: pods and ports of their own
        assert len(blocks) == len(rule["to"]), "a loudspeaker rule names only the allow-list's networks"
        assert all("except" not in b for b in blocks)
        reached |= {(b["cidr"], p) for b in blocks for p in ports}
    assert reached == wanted
    anywhere = [r for r in policy["spec"]["egress"] if not r.get("to") and {80, 443} & {p["port"] for p in r["ports"]}]
    assert not anywhere, "no rule lets the loudspeakers reach port 80 or 443 anywhere"
    checked(f"{values.name}: {policy['metadata']['name']} reaches exactly {sorted(wanted)}")
