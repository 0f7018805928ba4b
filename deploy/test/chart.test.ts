import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  documents,
  missingPaths,
  readChartSource,
  stripTemplate,
  valuesPaths,
} from './chart-source.ts';

// A parsed manifest, walked loosely: the checks below say which fields they expect.
// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML
type Manifest = any;

// Static checks only: no Helm binary exists where this runs, so templates are read as text and
// never rendered (docs/deploy.md). What Helm alone would catch (template syntax, the rendered
// YAML, the dependency charts' values) is not checked here.
const repository = join(import.meta.dirname, '../..');
const chart = join(repository, 'deploy/helm/threadline');
const readYaml = (file: string) => parse(readFileSync(join(chart, file), 'utf8')) as unknown;
const values = readYaml('values.yaml') as {
  image: { tag: string };
  services: Record<string, { env: Record<string, unknown>; webPages?: { enabled: unknown } }>;
};
const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as object;
const source = readChartSource(chart);
const serviceNames = ['chat-store', 'gateway', 'router', 'webhook'];

describe('the chart’s static files', () => {
  it('Chart.yaml parses and names its NATS and PostgreSQL dependencies behind conditions', () => {
    const manifest = readYaml('Chart.yaml') as {
      apiVersion: string;
      dependencies: { name: string; condition: string }[];
    };
    expect(manifest.apiVersion).toBe('v2');
    expect(manifest.dependencies.map((dependency) => dependency.condition)).toEqual([
      'nats.enabled',
      'postgresql.enabled',
    ]);
  });

  it('values.yaml parses and configures exactly the four services', () => {
    expect(Object.keys(values.services).sort()).toEqual(serviceNames);
  });

  it('values.yaml validates against values.schema.json', () => {
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
      schema,
    );
    expect(validate(values), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema refuses a `latest` tag, an unknown key and a malformed master key', () => {
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
      schema,
    );
    const broken = structuredClone(values) as Record<string, unknown> & typeof values;
    broken.image.tag = 'latest';
    broken.replicaCount = 3;
    (broken as unknown as { secret: { masterKey: string } }).secret.masterKey = 'short';
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath).sort()).toEqual(
      expect.arrayContaining(['', '/image/tag', '/secret/masterKey']),
    );
  });
});

describe('the templates, read as text (not rendered)', () => {
  it('read only values paths that values.yaml defines', () => {
    const all = [...Object.values(source.templates), ...Object.values(source.defines)];
    const paths = all.flatMap(valuesPaths);
    expect(paths.length).toBeGreaterThan(50);
    expect(missingPaths(values, paths)).toEqual([]);
  });

  it('the path check notices a path values.yaml lacks', () => {
    const paths = valuesPaths(
      '{{- range $n, $s := .Values.services }}{{ $s.probe.path }}{{ end }}',
    );
    expect(missingPaths(values, paths)).toEqual(
      serviceNames.map((name) => `services.${name}.probe.path`).sort(),
    );
  });

  // Each template with its actions replaced and every branch kept (see stripTemplate).
  const stripped = Object.fromEntries(
    Object.entries(source.templates).map(([file, text]) => [
      file,
      parseAllDocuments(stripTemplate(text, source.defines)),
    ]),
  );
  const manifests = (file: string, kind: string) =>
    (stripped[file] ?? [])
      .map((document) => document.toJS() as Manifest | null)
      .filter((manifest): manifest is Manifest => manifest?.kind === kind);

  it.each(Object.keys(source.templates))(
    '%s, its actions replaced by placeholders and every branch kept, parses as YAML with unique keys',
    (file) => {
      const errors = (stripped[file] ?? []).flatMap((document) => document.errors);
      expect(errors.map((error) => error.message)).toEqual([]);
    },
  );

  it('services.yaml defines one Deployment, ranged over every service', () => {
    expect(manifests('services.yaml', 'Deployment')).toHaveLength(1);
    expect(source.templates['services.yaml']).toMatch(
      /range \$name, \$service := \.Values\.services/,
    );
  });

  it('the Deployment’s pods carry its selector labels, which topology spread uses too', () => {
    const { spec } = manifests('services.yaml', 'Deployment')[0]!;
    const selector = Object.keys(spec.selector.matchLabels).sort();
    expect(selector).toEqual([
      'app.kubernetes.io/component',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/name',
    ]);
    expect(Object.keys(spec.template.metadata.labels)).toEqual(expect.arrayContaining(selector));
    // One constraint in the text, ranged over zone and node: both use the selector labels.
    const spread = spec.template.spec.topologySpreadConstraints as Manifest[];
    expect(
      spread.map((constraint) => Object.keys(constraint.labelSelector.matchLabels).sort()),
    ).toEqual([selector]);
    expect(source.templates['services.yaml']).toContain(
      'range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname"',
    );
  });

  it('the Deployment’s container has probes on /healthz and /readyz, resources and a grace period', () => {
    const pod = manifests('services.yaml', 'Deployment')[0]!.spec.template.spec;
    const container = pod.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(container.ports[0]).toEqual({ name: 'health', containerPort: 'x' });
    expect(container.resources).toBeDefined();
    expect(pod.terminationGracePeriodSeconds).toBeDefined();
  });

  it('the Deployment and the migrations Job run non-root, read-only, without capabilities', () => {
    const pods = [
      manifests('services.yaml', 'Deployment')[0]!.spec.template.spec,
      manifests('migrations-job.yaml', 'Job')[0]!.spec.template.spec,
    ];
    for (const pod of pods) {
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
    }
  });

  it('every object selecting a service’s pods uses the same selector labels as its Deployment', () => {
    for (const file of ['services.yaml', 'autoscaling.yaml', 'networkpolicy.yaml']) {
      for (const document of documents(source.templates[file] ?? '')) {
        if (
          !['Service', 'PodDisruptionBudget', 'NetworkPolicy', 'Deployment'].includes(
            document.kind!,
          )
        )
          continue;
        expect(document.text, `${file} ${document.kind}`).toContain(
          'include "threadline.selectorLabels" (list $ $name)',
        );
      }
    }
  });

  it('the migrations Job is a pre-upgrade hook running every service’s bundled migrations', () => {
    const job = source.templates['migrations-job.yaml'] ?? '';
    expect(job).toMatch(
      /helm\.sh\/hook: \{\{ ternary "post-install,pre-upgrade" "pre-install,pre-upgrade"/,
    );
    expect(job).toMatch(/range \$name := list "gateway" "chat-store" "router"/);
    expect(job).toContain('(list . "webhook")');
    // dist/migrate.js is src/migrate.ts bundled (packages/bundle); deploy/test/bundle.test.ts runs it.
    expect(source.defines['threadline.migrationContainer']).toContain(
      'command: [/usr/bin/tini, --, node, dist/migrate.js]',
    );
    for (const name of serviceNames) {
      expect(existsSync(join(repository, 'services', name, 'src/migrate.ts')), name).toBe(true);
    }
  });
});

describe('the environment the chart sets, against what the services read', () => {
  const read = (file: string) => readFileSync(join(repository, file), 'utf8');
  const shared =
    read('packages/runtime/src/environment.ts') + read('packages/personal-data/src/config.ts');

  it('every shared variable (ConfigMap, Secret, ports) is one the services declare', () => {
    const configMap = source.templates['configmap.yaml'] ?? '';
    const names = [
      ...configMap.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm),
      ...[
        source.defines['threadline.env'],
        source.defines['threadline.tracingEnv'],
        source.templates['services.yaml'],
      ]
        .join('')
        .matchAll(/- name: ([A-Z][A-Z0-9_]+)/g),
    ].map((match) => match[1]!);
    expect(names).toEqual(
      expect.arrayContaining(['NATS_URL', 'DATABASE_URL', 'THREADLINE_MASTER_KEY']),
    );
    // POSTGRES_PASSWORD only feeds $(POSTGRES_PASSWORD) in DATABASE_URL, K8S_* only
    // OTEL_RESOURCE_ATTRIBUTES; PORT is the gateway's; OTEL_* are read by runtime's tracing.
    const tracing =
      read('packages/runtime/src/tracing-config.ts') + read('packages/runtime/src/tracing.ts');
    expect(names).toEqual(expect.arrayContaining(['OTEL_EXPORTER_OTLP_ENDPOINT']));
    const declared = (name: string) =>
      shared.includes(`${name}:`) ||
      ['POSTGRES_PASSWORD', 'K8S_POD_NAME', 'K8S_NAMESPACE'].includes(name) ||
      (name.startsWith('OTEL_') && tracing.includes(name)) ||
      read('services/gateway/src/config.ts').includes(`${name}:`);
    expect(names.filter((name) => !declared(name))).toEqual([]);
  });

  it('gives the file links’ signing keys to the gateway alone, from the Secret', () => {
    const services = source.templates['services.yaml'] ?? '';
    expect(services).toMatch(
      /if and \(eq \$name "gateway"\)[^\n]*\n[^\n]*\n\s*- name: FILE_LINK_KEYS\n\s*valueFrom: \{ secretKeyRef:/,
    );
    expect(source.defines['threadline.env']).not.toContain('FILE_LINK_KEYS');
    expect(source.templates['secret.yaml']).toContain(
      'FILE_LINK_KEYS: {{ .Values.secret.fileLinkKeys',
    );
  });

  it('lets the gateway serve its image’s pages, or none when services.gateway.webPages is off', () => {
    expect(values.services.gateway?.webPages).toEqual({ enabled: true });
    expect(source.templates['configmap.yaml']).toMatch(
      /\{\{- if and \(eq \$name "gateway"\) \(not \$\.Values\.services\.gateway\.webPages\.enabled\) \}\}\n(?: {2}#[^\n]*\n)? {2}WEB_PAGES_DIR: ""\n/,
    );
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
      schema,
    );
    const broken = structuredClone(values);
    broken.services.gateway!.webPages = { enabled: 'yes' };
    expect(validate(broken)).toBe(false);
  });

  it.each(serviceNames)('each env key of services.%s is one its config.ts reads', (name) => {
    const config = read(`services/${name}/src/config.ts`) + shared;
    const unknown = Object.keys(values.services[name]!.env).filter(
      (key) => !config.includes(`${key}:`),
    );
    expect(unknown).toEqual([]);
  });
});
