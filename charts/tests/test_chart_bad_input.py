"""Bad values fail at install with a clear message from values.schema.json (or, for a
reference between values, from the templates): helm template is what helm install runs
first, so these are the messages an SRE sees."""

from __future__ import annotations

import pytest

from .chartlib import CHART, checked, helm, template_args

MINIMAL = CHART / "ci" / "minimal-values.yaml"


def refused(*sets: str, values=(MINIMAL,)) -> str:
    out = helm(*template_args(values, sets))
    assert out.returncode != 0, f"helm template accepted {sets}"
    assert not out.stdout.strip(), "nothing may be rendered from bad values"
    return out.stderr


SCHEMA_CASES = [
    # a wrong type
    (["components.gateway.replicas=two"], "at '/components/gateway/replicas': got string, want integer"),
    (["componentDefaults.terminationGracePeriodSeconds=soon"], "got string, want integer"),
    (["networkPolicy.enabled=maybe"], "at '/networkPolicy/enabled': got string, want boolean"),
    (
        ["components.gateway.env.MAX_BODY_BYTES=65536"],
        "at '/components/gateway/env/MAX_BODY_BYTES': got number, want string",
    ),
    # what a component is comes from the registry: values may not change it
    (["components.identity.port=50099"], "at '/components/identity': additional properties 'port' not allowed"),
    (["components.gateway.kind=lambda"], "at '/components/gateway': additional properties 'kind' not allowed"),
    (
        ["components.gateway.calls={identity,billing}"],
        "at '/components/gateway': additional properties 'calls' not allowed",
    ),
    # a missing required value
    (["kafka.bootstrapServers=null"], "at '/kafka': missing property 'bootstrapServers'"),
    (["kafka.bootstrapServers="], "at '/kafka/bootstrapServers': minLength: got 0, want 1"),
    (["database.existingSecret="], "at '/database/existingSecret': minLength: got 0, want 1"),
    (
        ["components.identity.secretFiles.IDENTITY_SIGNING_KEY_FILE.secretName="],
        "at '/components/identity/secretFiles/IDENTITY_SIGNING_KEY_FILE/secretName': minLength: got 0, want 1",
    ),
    (["publicUrl=tv.example.org"], "at '/publicUrl': 'tv.example.org' does not match pattern"),
    (["kafka.strimziTopics.enabled=true"], "at '/kafka/strimziTopics/clusterName': minLength: got 0, want 1"),
    (["ingress.enabled=true"], "at '/ingress/hosts': minItems: got 0, want 1"),
    # an unknown key
    (["components.gateway.replica=3"], "at '/components/gateway': additional properties 'replica' not allowed"),
    (
        ["componentDefaults.resource.limits.cpu=1"],
        "at '/componentDefaults': additional properties 'resource' not allowed",
    ),
    (["kafak.bootstrapServers=x:9092"], "additional properties 'kafak' not allowed"),
    # (helm's schema library reports a bad property name at a wrong location: match the name only)
    (["components.Gateway2.kind=http"], "invalid propertyName 'Gateway2'"),
]


@pytest.mark.parametrize("sets, message", SCHEMA_CASES, ids=[" ".join(s) for s, _ in SCHEMA_CASES])
def test_bad_values_are_refused_by_the_schema(sets, message):
    err = refused(*sets)
    assert "values don't meet the specifications of the schema" in err, err
    assert message in err, err
    checked(
        f"bad values refused with the schema's message ({len(SCHEMA_CASES)} cases: a wrong type, "
        "a missing required value, an unknown key, ...)"
    )


@pytest.mark.parametrize(
    "sets, message",
    [
        (["components.reports.enabled=true"], "components.reports: no such component; the registry"),
        (["components.identity.enabled=false"], "calls identity, which is disabled"),
        (["mqtt.host="], "uses mqtt: set mqtt.host"),
        # a singleton (an outbox relay: one per database) scaled out
        (["components.servicedesk-relay.replicas=2"], "servicedesk-relay is a singleton: replicas must be 1"),
        (["database.cnpg.enabled=true"], "at '/database/cnpg/clusterName': minLength: got 0, want 1"),
    ],
)
def test_bad_references_between_values_are_refused_by_the_templates(sets, message):
    err = refused(*sets)
    assert message in err, err


def test_the_defaults_alone_say_everything_that_is_missing():
    """helm install with no values at all: one message listing every required value."""
    out = helm("template", "sbc", str(CHART), "--kube-version", "1.29.0")
    assert out.returncode != 0
    for path in (
        "/publicUrl",
        "/kafka/bootstrapServers",
        "/database/existingSecret",
        "/redis/existingSecret",
        "/components/identity/secretFiles/IDENTITY_SIGNING_KEY_FILE/secretName",
    ):
        assert f"at '{path}'" in out.stderr, out.stderr
