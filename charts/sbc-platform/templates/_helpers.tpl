{{/* Names, labels, and the merged view of each component. */}}

{{- define "sbc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sbc.chartName" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The name of a component's resources: <fullname>-<component>. Args: (dict "root" $ "name" $name) */}}
{{- define "sbc.componentName" -}}
{{- printf "%s-%s" (include "sbc.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sbc.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "sbc.chartName" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sbc-platform
{{- end -}}

{{/* Selector labels of one component. Args: (dict "root" $ "name" $name) */}}
{{- define "sbc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sbc.chartName" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "sbc.labels" -}}
{{ include "sbc.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* The registry (platform.yaml beside values.yaml): every service, its processes, topics, calls, database. */}}
{{- define "sbc.registry" -}}
{{- .Files.Get "platform.yaml" | fromYaml | toJson -}}
{{- end -}}

{{/*
Every Kafka topic of the registry, as a JSON map of topic -> {partitions, retention_ms}: the topics
each service publishes, and the dead-letter topic of each service with a consumer, where its
consumers park the records they cannot apply (sbc.<service>.dead_letters.v1, 1 partition, kept 30
days). services/runtime/registry.py derives the same list (Registry.topics(): the local Kafka and
the e2e platform make it); charts/tests check that the two agree.
*/}}
{{- define "sbc.registryTopics" -}}
{{- $reg := include "sbc.registry" . | fromJson -}}
{{- $out := dict -}}
{{- range $svc, $s := $reg.services -}}
{{- range $topic, $t := ($s.publishes | default dict) -}}
{{- $_ := set $out $topic (dict "partitions" $t.partitions "retention_ms" $t.retention_ms) -}}
{{- end -}}
{{- $consumes := false -}}
{{- range $proc, $p := ($s.processes | default dict) -}}
{{- if eq $p.kind "consumer" }}{{ $consumes = true }}{{ end -}}
{{- end -}}
{{- if $consumes -}}
{{- $_ := set $out (printf "sbc.%s.dead_letters.v1" $svc) (dict "partitions" 1 "retention_ms" 2592000000) -}}
{{- end -}}
{{- end -}}
{{- $out | toJson -}}
{{- end -}}

{{/*
Every process of the platform as the registry says it, as a JSON map of components:
a service's server is the component <service>, each other process <service>-<process>;
the gateway is the component gateway. Values' components.<name> tune them (replicas,
resources, env...), over componentDefaults; what a component is comes from here only.
*/}}
{{- define "sbc.registryComponents" -}}
{{- if not (hasKey . "sbcRegistryComponents") -}}
{{- $_ := set . "sbcRegistryComponents" (include "sbc.buildRegistryComponents" .) -}}
{{- end -}}
{{- get . "sbcRegistryComponents" -}}
{{- end -}}

{{/* What sbc.registryComponents gives, built once per render: templates ask for components many
times (NetworkPolicies: every pair), and parsing the registry each time made a render take seconds. */}}
{{- define "sbc.buildRegistryComponents" -}}
{{- $reg := include "sbc.registry" . | fromJson -}}
{{- $out := dict -}}
{{- $public := list -}}
{{- range $svc, $s := $reg.services -}}
{{- if $s.public }}{{ $public = append $public $svc }}{{ end -}}
{{- $env := dict -}}
{{- range $k, $v := ($s.env | default dict) -}}
{{- $_ := set $env $k (replace "{public_url}" $.Values.publicUrl (toString $v)) -}}
{{- end -}}
{{- range $proc, $p := $s.processes -}}
{{- $c := dict "args" (list $svc $proc) "service" $svc "env" (deepCopy $env) "calls" list "uses" list -}}
{{- if $s.database }}{{ $_ := set $c "database" $s.database }}{{ end -}}
{{- if eq $p.kind "grpc" -}}
{{- $_ := set $c "kind" "grpc" -}}
{{- $_ := set $c "port" $s.port -}}
{{- $_ := set $c "calls" ($s.calls | default list) -}}
{{- $_ := set $c "uses" ($p.uses | default list) -}}
{{- if $s.database }}{{ $_ := set $c "migrate" true }}{{ end -}}
{{- $_ := set $out $svc $c -}}
{{- else -}}
{{- $_ := set $c "kind" "worker" -}}
{{- $_ := set $c "port" 50060 -}}
{{- $uses := $p.uses | default list -}}
{{- if has $p.kind (list "relay" "consumer") }}{{ $uses = prepend $uses "kafka" }}{{ end -}}
{{- $_ := set $c "uses" $uses -}}
{{- if eq $p.kind "relay" }}{{ $_ := set $c "singleton" true }}{{ $_ := set $c "replicas" 1 }}{{ end -}}
{{- $_ := set $out (printf "%s-%s" $svc $proc) $c -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $gw := $reg.gateway -}}
{{- $_ := set $out "gateway" (dict "kind" "http" "args" (list "gateway") "port" $gw.port "calls" $public "uses" (prepend ($gw.uses | default list) "kafka") "env" dict) -}}
{{- $out | toJson -}}
{{- end -}}

{{/* A component: componentDefaults, then the registry's, then values' components.<name>, as JSON (fromJson it). Args: (dict "root" $ "name" $name) */}}
{{- define "sbc.component" -}}
{{- if not (hasKey .root "sbcComponents") -}}
{{- $_ := set .root "sbcComponents" dict -}}
{{- end -}}
{{- $merged := get .root "sbcComponents" -}}
{{- if not (hasKey $merged .name) -}}
{{- $reg := index (include "sbc.registryComponents" .root | fromJson) .name -}}
{{- $tuning := index .root.Values.components .name | default dict -}}
{{- $_ := set $merged .name (mustMergeOverwrite (deepCopy .root.Values.componentDefaults) $reg (deepCopy $tuning) | toJson) -}}
{{- end -}}
{{- get $merged .name -}}
{{- end -}}

{{/* Names of the enabled components, sorted, as JSON list. Values may tune only components the registry has. */}}
{{- define "sbc.enabledComponents" -}}
{{- $all := include "sbc.registryComponents" . | fromJson -}}
{{- range $name := keys .Values.components | sortAlpha -}}
{{- if not (hasKey $all $name) -}}
{{- fail (printf "components.%s: no such component; the registry (platform.yaml) has: %s" $name (keys $all | sortAlpha | join ", ")) -}}
{{- end -}}
{{- end -}}
{{- $names := list -}}
{{- range $name := keys $all | sortAlpha -}}
{{- $c := include "sbc.component" (dict "root" $ "name" $name) | fromJson -}}
{{- if $c.enabled -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- $names | toJson -}}
{{- end -}}

{{/* The env var naming a component's address, e.g. IDENTITY_ADDR. */}}
{{- define "sbc.addrEnv" -}}
{{- printf "%s_ADDR" (. | upper | replace "-" "_") -}}
{{- end -}}

{{- define "sbc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sbc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image of a component. Args: (dict "root" $ "c" $component) */}}
{{- define "sbc.image" -}}
{{- $img := mustMergeOverwrite (deepCopy .root.Values.image) (deepCopy (.c.image | default dict)) -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $img.repository (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* The fixed container security context: the same for every container of the chart. */}}
{{- define "sbc.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Check a component's references; fail with a clear message. Args: (dict "root" $ "name" $name "c" $c) */}}
{{- define "sbc.validateComponent" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- range $callee := .c.calls -}}
{{- $target := include "sbc.component" (dict "root" $root "name" $callee) | fromJson -}}
{{- if not $target.enabled -}}
{{- fail (printf "components.%s calls %s, which is disabled" $name $callee) -}}
{{- end -}}
{{- end -}}
{{- if and (has "mqtt" .c.uses) (not $root.Values.mqtt.host) -}}
{{- fail (printf "components.%s uses mqtt: set mqtt.host" $name) -}}
{{- end -}}
{{- if and (has "mqtt" .c.uses) (not $root.Values.mqtt.existingSecret) -}}
{{- fail (printf "components.%s uses mqtt: set mqtt.existingSecret (the broker passwords)" $name) -}}
{{- end -}}
{{- if and .c.singleton (ne (int .c.replicas) 1) -}}
{{- fail (printf "components.%s: %s is a singleton: replicas must be 1 (an outbox relay: one per database)" $name $name) -}}
{{- end -}}
{{- if and .c.singleton .c.autoscaling.enabled -}}
{{- fail (printf "components.%s is a singleton: it cannot autoscale" $name) -}}
{{- end -}}
{{- end -}}

{{/* Env of a migration Job or a test: the database, the log level. Args: (dict "root" $ "c" $c) */}}
{{- define "sbc.databaseEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.database.existingSecret }}
      key: {{ .c.database }}
{{- end -}}

{{/* The MQTT broker's settings of a component that uses it: the listener, its service's own client,
the accounts' admin where mqtt.admin.components lists it, TLS with the CA. Args: (dict "root" $ "name" $name "c" $c) */}}
{{- define "sbc.mqttEnv" -}}
{{- $m := .root.Values.mqtt -}}
- name: MQTT_HOST
  value: {{ $m.host | quote }}
- name: MQTT_PORT
  value: {{ $m.port | int | quote }}
{{- $user := get $m.clients .c.service }}
{{- if $user }}
- name: {{ upper .c.service }}_MQTT_USERNAME
  value: {{ $user | quote }}
- name: {{ upper .c.service }}_MQTT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $m.existingSecret }}
      key: {{ .c.service }}
{{- end }}
{{- if has .name $m.admin.components }}
- name: MQTT_ADMIN_USERNAME
  value: {{ $m.admin.username | quote }}
- name: MQTT_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $m.existingSecret }}
      key: admin
{{- end }}
{{- if $m.tls.caSecret }}
- name: MQTT_CA_FILE
  value: /var/run/secrets/sbc/mqtt-ca/ca.crt
{{- end }}
{{- end -}}

{{/*
Who may do what on Kafka, from the registry, as a JSON map of principal -> [{resource, name,
operations}]: each service writes the topics it publishes and its dead-letter topic (and reads
that), reads what its processes read, in its own consumer groups; the gateway reads what it
streams. The same as services/runtime/kafka_security.py's grants (charts/tests check it).
*/}}
{{- define "sbc.kafkaGrants" -}}
{{- $reg := include "sbc.registry" . | fromJson -}}
{{- $out := dict -}}
{{- range $svc, $s := $reg.services -}}
{{- $g := list -}}
{{- range $topic, $t := ($s.publishes | default dict) -}}
{{- $g = append $g (dict "resource" "topic" "name" $topic "operations" (list "Write" "Describe")) -}}
{{- end -}}
{{- $reads := list -}}
{{- $groups := list -}}
{{- $consumes := false -}}
{{- range $proc, $p := ($s.processes | default dict) -}}
{{- if eq $p.kind "consumer" }}{{ $consumes = true }}{{ end -}}
{{- range $topic := ($p.reads | default list) }}{{ $reads = append $reads $topic }}{{ end -}}
{{- if $p.group }}{{ $groups = append $groups $p.group }}{{ end -}}
{{- end -}}
{{- if $consumes -}}
{{- $g = append $g (dict "resource" "topic" "name" (printf "sbc.%s.dead_letters.v1" $svc) "operations" (list "Write" "Read" "Describe")) -}}
{{- end -}}
{{- range $topic := ($reads | uniq | sortAlpha) -}}
{{- $g = append $g (dict "resource" "topic" "name" $topic "operations" (list "Read" "Describe")) -}}
{{- end -}}
{{- range $group := ($groups | uniq | sortAlpha) -}}
{{- $g = append $g (dict "resource" "group" "name" $group "operations" (list "Read")) -}}
{{- end -}}
{{- if $g }}{{ $_ := set $out $svc $g }}{{ end -}}
{{- end -}}
{{- $gw := list -}}
{{- range $topic := ($reg.gateway.reads | default list) -}}
{{- $gw = append $gw (dict "resource" "topic" "name" $topic "operations" (list "Read" "Describe")) -}}
{{- end -}}
{{- $_ := set $out "gateway" $gw -}}
{{- $out | toJson -}}
{{- end -}}

{{/* A principal's Kafka user name (its KafkaUser, and the Secret with its password). Args: (dict "root" $ "principal" $p) */}}
{{- define "sbc.kafkaUser" -}}
{{- printf "%s%s" .root.Values.kafka.userPrefix .principal -}}
{{- end -}}

{{/* The Kafka client settings of a component that uses Kafka: SASL_SSL as its service's user (the
gateway's own), the password from that user's Secret, the brokers' CA mounted. Args: (dict "root" $ "c" $c) */}}
{{- define "sbc.kafkaEnv" -}}
{{- $k := .root.Values.kafka -}}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
{{- if ne $k.securityProtocol "PLAINTEXT" }}
{{- $principal := .c.service | default "gateway" }}
- name: KAFKA_SASL_MECHANISM
  value: SCRAM-SHA-512
- name: KAFKA_USERNAME
  value: {{ include "sbc.kafkaUser" (dict "root" .root "principal" $principal) | quote }}
- name: KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "sbc.kafkaUser" (dict "root" .root "principal" $principal) }}
      key: password
{{- if $k.caSecret }}
- name: KAFKA_CA_FILE
  value: /var/run/secrets/sbc/kafka-ca/ca.crt
{{- end }}
{{- end }}
{{- end -}}

{{/* The record signing keys (runtime.record_signing): each relay signs with its service's key
(<service>.pem of recordSigning.existingSecret), the gateway checks each topic it streams against its
publisher's public key (<service>.pub). Args: (dict "root" $ "name" $name "c" $c) */}}
{{- define "sbc.recordSigningEnv" -}}
{{- if .root.Values.recordSigning.existingSecret }}
{{- if eq .c.kind "http" }}
{{- range $svc := (include "sbc.streamPublishers" .root | fromJsonArray) }}
- name: {{ upper $svc }}_RECORD_PUBLIC_KEYS
  value: {{ printf "/var/run/secrets/sbc/record-keys/%s.pub" $svc | quote }}
{{- end }}
{{- else if hasSuffix "-relay" .name }}
- name: RECORD_SIGNING_KEY_FILE
  value: {{ printf "/var/run/secrets/sbc/record-keys/%s.pem" .c.service | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The services whose topics the gateway streams, as a JSON list. */}}
{{- define "sbc.streamPublishers" -}}
{{- $reg := include "sbc.registry" . | fromJson -}}
{{- $owners := list -}}
{{- range $svc, $s := $reg.services -}}
{{- range $topic, $t := ($s.publishes | default dict) -}}
{{- if has $topic ($reg.gateway.reads | default list) }}{{ $owners = append $owners $svc }}{{ end -}}
{{- end -}}
{{- end -}}
{{- $owners | uniq | sortAlpha | toJson -}}
{{- end -}}

{{/* The Secret with the record keys (the operator's: the chart makes no Secret). */}}
{{- define "sbc.recordKeysSecret" -}}
{{- .Values.recordSigning.existingSecret -}}
{{- end -}}

{{/* The record-key files a component mounts (sbc.recordSigningEnv), as a JSON list. Args: (dict "root" $ "name" $name "c" $c) */}}
{{- define "sbc.recordKeyItems" -}}
{{- $items := list -}}
{{- if .root.Values.recordSigning.existingSecret -}}
{{- if eq .c.kind "http" -}}
{{- range $svc := (include "sbc.streamPublishers" .root | fromJsonArray) }}{{ $items = append $items (printf "%s.pub" $svc) }}{{ end -}}
{{- else if hasSuffix "-relay" .name -}}
{{- $items = append $items (printf "%s.pem" .c.service) -}}
{{- end -}}
{{- end -}}
{{- $items | toJson -}}
{{- end -}}

{{- /* The ConfigMap holding a district's folder of data files: its own (configMap:), or the one
the chart renders from the values (files:). */ -}}
{{- define "sbc.districtConfigMap" -}}
{{- .d.configMap | default (printf "%s-district-%s" (include "sbc.fullname" .root) .d.code) -}}
{{- end }}
