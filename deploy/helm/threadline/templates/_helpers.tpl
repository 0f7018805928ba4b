{{- define "threadline.labels" -}}
app.kubernetes.io/name: threadline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "threadline.env" -}}
{{- if .Values.existingSecret }}
- name: NATS_URL
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: NATS_URL } }
- name: DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ .Values.existingSecret }}, key: DATABASE_URL } }
{{- else }}
- name: NATS_URL
  value: {{ .Values.nats.url | quote }}
- name: DATABASE_URL
  value: {{ .Values.postgres.url | quote }}
{{- end }}
- name: THREADLINE_NAMESPACE
  value: {{ .Values.namespace | quote }}
- name: STREAM_REPLICAS
  value: {{ .Values.nats.streamReplicas | quote }}
{{- if .Values.masterKeySecret }}
- name: THREADLINE_MASTER_KEY
  valueFrom: { secretKeyRef: { name: {{ .Values.masterKeySecret }}, key: THREADLINE_MASTER_KEY } }
{{- end }}
{{- end -}}
