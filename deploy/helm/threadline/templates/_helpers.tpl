{{/* Labels on every object of the release. */}}
{{- define "threadline.labels" -}}
app.kubernetes.io/name: threadline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The labels a service's Deployment selects its pods by (call with (list $ $name)). */}}
{{- define "threadline.selectorLabels" -}}
app.kubernetes.io/name: threadline
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "threadline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (printf "%s-threadline" .Release.Name) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "threadline.secretName" -}}
{{- default (printf "%s-threadline" .Release.Name) .Values.secret.existing -}}
{{- end -}}

{{/* A service's image (call with (list $ $name)): one image per service, same tag. */}}
{{- define "threadline.image" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s:%s" $root.Values.image.repository (index . 1) $root.Values.image.tag -}}
{{- end -}}

{{/*
The environment every service reads (packages/runtime/src/environment.ts): shared settings from
the ConfigMap, connection strings and the master key from the Secret. With the bundled PostgreSQL,
DATABASE_URL is assembled from its generated password ($(VAR) expansion by the kubelet).
*/}}
{{- define "threadline.env" -}}
- name: NATS_URL
  valueFrom: { secretKeyRef: { name: {{ include "threadline.secretName" . }}, key: NATS_URL } }
{{- if and .Values.postgresql.enabled (not .Values.secret.existing) }}
- name: POSTGRES_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .Release.Name }}-postgresql, key: password } }
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s-postgresql:5432/%s" .Values.postgresql.auth.username .Release.Name .Values.postgresql.auth.database | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ include "threadline.secretName" . }}, key: DATABASE_URL } }
{{- end }}
{{- if or .Values.secret.existing .Values.secret.masterKey }}
- name: THREADLINE_MASTER_KEY
  valueFrom: { secretKeyRef: { name: {{ include "threadline.secretName" . }}, key: THREADLINE_MASTER_KEY } }
{{- end }}
{{- end -}}

{{/* Pod-level hardening shared by the services and the migrations Job. */}}
{{- define "threadline.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "threadline.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities: { drop: [ALL] }
{{- end -}}

{{/* One service's migrations in the migrations Job (call with (list $ $name)). */}}
{{- define "threadline.migrationContainer" -}}
{{- $root := index . 0 -}}
image: {{ include "threadline.image" . | quote }}
imagePullPolicy: {{ $root.Values.image.pullPolicy }}
command: [/usr/bin/tini, --, node, dist/migrate.js]
env:
  {{- include "threadline.env" $root | nindent 2 }}
resources:
  {{- toYaml $root.Values.migrations.resources | nindent 2 }}
securityContext:
  {{- include "threadline.containerSecurityContext" $root | nindent 2 }}
volumeMounts:
  - { name: tmp, mountPath: /tmp }
{{- end -}}

{{/*
OpenTelemetry traces, when tracing.endpoint is set (docs/deploy.md, "Tracing"): the collector's
OTLP/HTTP endpoint, the sampler, and the pod as the spans' resource (the downward API fills
$(K8S_POD_NAME) and $(K8S_NAMESPACE)). Call with (list $ $name).
*/}}
{{- define "threadline.tracingEnv" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- if $root.Values.tracing.endpoint }}
- name: K8S_POD_NAME
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
- name: K8S_NAMESPACE
  valueFrom: { fieldRef: { fieldPath: metadata.namespace } }
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $root.Values.tracing.endpoint | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ $name | quote }}
- name: OTEL_TRACES_SAMPLER
  value: {{ $root.Values.tracing.sampler | quote }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ $root.Values.tracing.samplerArg | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: "k8s.namespace.name=$(K8S_NAMESPACE),k8s.pod.name=$(K8S_POD_NAME),service.instance.id=$(K8S_POD_NAME),service.version={{ $root.Values.image.tag }}{{ range $key, $value := $root.Values.tracing.resourceAttributes }},{{ $key }}={{ $value }}{{ end }}"
{{- end }}
{{- end -}}
