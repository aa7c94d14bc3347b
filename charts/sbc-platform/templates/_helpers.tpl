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

{{/* A component with componentDefaults under it, as JSON (fromJson it). Args: (dict "root" $ "name" $name) */}}
{{- define "sbc.component" -}}
{{- $c := index .root.Values.components .name -}}
{{- mustMergeOverwrite (deepCopy .root.Values.componentDefaults) (deepCopy $c) | toJson -}}
{{- end -}}

{{/* Names of the enabled components, sorted, as JSON list. */}}
{{- define "sbc.enabledComponents" -}}
{{- $names := list -}}
{{- range $name := keys .Values.components | sortAlpha -}}
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
{{- $target := index $root.Values.components $callee -}}
{{- if not $target -}}
{{- fail (printf "components.%s.calls: %q is not a component (known: %s)" $name $callee (keys $root.Values.components | sortAlpha | join ", ")) -}}
{{- end -}}
{{- if eq $target.kind "worker" -}}
{{- fail (printf "components.%s.calls: %q is a worker and serves no calls" $name $callee) -}}
{{- end -}}
{{- end -}}
{{- if and (has "mqtt" .c.uses) (not $root.Values.mqtt.host) -}}
{{- fail (printf "components.%s uses mqtt: set mqtt.host" $name) -}}
{{- end -}}
{{- if and .c.migrate (not .c.database) -}}
{{- fail (printf "components.%s.migrate needs components.%s.database" $name $name) -}}
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
