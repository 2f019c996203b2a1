{{/*
The migrations ConfigMap's name. The hook mode's ConfigMap is a hook, which Helm does not manage as a release
resource, so it gets a name of its own: switching modes on an existing release never makes Helm create a release
resource over a hook's object, or a hook over a release resource.
*/}}
{{- define "tidemark-app.migrationsConfigMap" -}}
{{ .Release.Name }}-migrations{{ if eq .Values.tidemark.mode "hook" }}-hook{{ end }}
{{- end }}

{{/*
The tidemark container, shared by the hook Job and the init container. The database URL comes from the Secret; the
migrations from the ConfigMap mounted at /migrations.
*/}}
{{- define "tidemark-app.migrateContainer" -}}
- name: migrate
  image: "{{ .Values.tidemark.image.repository }}:{{ .Values.tidemark.image.tag }}"
  imagePullPolicy: {{ .Values.tidemark.image.pullPolicy }}
  args: ["deploy", "--wait-for-db", "{{ .Values.tidemark.waitForDb }}", "--lock-wait", "{{ .Values.tidemark.lockWait }}"{{ if eq .Values.tidemark.mode "hook" }}{{ if .Values.tidemark.fleet.enabled }}, "--schemas", "{{ .Values.tidemark.fleet.schemas }}", "--parallel", "{{ .Values.tidemark.fleet.parallel }}", "--shards", "{{ .Values.tidemark.fleet.shards }}"{{ end }}{{ end }}]
  env:
    - name: DATABASE_URL
      valueFrom:
        secretKeyRef:
          name: {{ .Values.database.secretName }}
          key: {{ .Values.database.secretKey }}
    - name: TIDEMARK_LOG_FORMAT
      value: {{ .Values.tidemark.logFormat | quote }}
  volumeMounts:
    - name: migrations
      mountPath: /migrations
      readOnly: true
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop: ["ALL"]
  resources:
    {{- toYaml .Values.tidemark.resources | nindent 4 }}
{{- end }}

{{/*
A migration's ConfigMap key, given its directory name: the name plus '.sql' when the name is a valid key, else
'sha256-' and the name's SHA-256 (keys may only hold [-._a-zA-Z0-9], and a directory may be called
'20241130164335_add_keys copy'). The volume item's path keeps the real name.
*/}}
{{- define "tidemark-app.migrationKey" -}}
{{ if regexMatch "^[-_a-zA-Z0-9]+$" . }}{{ . }}{{ end }}{{ if not (regexMatch "^[-_a-zA-Z0-9]+$" .) }}sha256-{{ sha256sum . }}{{ end }}.sql
{{- end }}

{{/*
The migrations volume: ConfigMap keys cannot contain '/', so items lay the folder out again as <name>/migration.sql.
*/}}
{{- define "tidemark-app.migrationsVolume" -}}
- name: migrations
  configMap:
    name: {{ include "tidemark-app.migrationsConfigMap" . }}
    items:
      - key: migration_lock.toml
        path: migration_lock.toml
      {{- range $path, $_ := .Files.Glob "migrations/*/migration.sql" }}
      - key: {{ include "tidemark-app.migrationKey" (base (dir $path)) }}
        path: {{ trimPrefix "migrations/" $path | quote }}
      {{- end }}
{{- end }}
