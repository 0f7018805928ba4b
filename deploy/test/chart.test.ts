import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  documents,
  expandIncludes,
  missingPaths,
  readChartSource,
  valuesPaths,
} from './chart-source.ts';

// Static checks only: no Helm binary exists where this runs, so templates are read as text and
// never rendered (docs/deploy.md). What Helm alone would catch (template syntax, the rendered
// YAML, the dependency charts' values) is not checked here.
const repository = join(import.meta.dirname, '../..');
const chart = join(repository, 'deploy/helm/threadline');
const readYaml = (file: string) => parse(readFileSync(join(chart, file), 'utf8')) as unknown;
const values = readYaml('values.yaml') as {
  image: { tag: string };
  services: Record<string, { env: Record<string, unknown> }>;
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

  const deployments = documents(
    expandIncludes(source.templates['services.yaml'] ?? '', source.defines),
  ).filter((document) => document.kind === 'Deployment');

  it('define one Deployment, ranged over every service', () => {
    expect(deployments).toHaveLength(1);
    expect(source.templates['services.yaml']).toMatch(
      /range \$name, \$service := \.Values\.services/,
    );
  });

  it('the Deployment has selector labels, probes on /healthz and /readyz, resources, spread and a grace period', () => {
    const text = deployments[0]!.text;
    expect(text).toMatch(
      /selector:\s*\n\s*matchLabels:\s*\n\s*app\.kubernetes\.io\/name: threadline/,
    );
    expect(text).toMatch(/app\.kubernetes\.io\/component: \{\{ index \. 1 \}\}/);
    expect(text).toMatch(/livenessProbe:\s*\n\s*httpGet: \{ path: \/healthz, port: health \}/);
    expect(text).toMatch(/readinessProbe:\s*\n\s*httpGet: \{ path: \/readyz, port: health \}/);
    expect(text).toMatch(/resources:\s*\n\s*\{\{- toYaml \$service\.resources/);
    expect(text).toMatch(/topologySpreadConstraints:/);
    expect(text).toMatch(
      /terminationGracePeriodSeconds: \{\{ \$service\.terminationGracePeriodSeconds \}\}/,
    );
  });

  it('the Deployment and the migrations Job run non-root, read-only, without capabilities', () => {
    const job = expandIncludes(source.templates['migrations-job.yaml'] ?? '', source.defines);
    for (const text of [deployments[0]!.text, job]) {
      expect(text).toMatch(/runAsNonRoot: true/);
      expect(text).toMatch(/readOnlyRootFilesystem: true/);
      expect(text).toMatch(/capabilities: \{ drop: \[ALL\] \}/);
      expect(text).toMatch(/allowPrivilegeEscalation: false/);
      expect(text).toMatch(/mountPath: \/tmp/);
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

  it('the migrations Job is a pre-upgrade hook running every service’s src/migrate.ts', () => {
    const job = source.templates['migrations-job.yaml'] ?? '';
    expect(job).toMatch(
      /helm\.sh\/hook: \{\{ ternary "post-install,pre-upgrade" "pre-install,pre-upgrade"/,
    );
    expect(job).toMatch(/range \$name := list "gateway" "chat-store" "router"/);
    expect(job).toContain('(list . "webhook")');
    expect(source.defines['threadline.migrationContainer']).toContain('src/migrate.ts');
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
      ...`${source.defines['threadline.env']}${source.templates['services.yaml']}`.matchAll(
        /- name: ([A-Z][A-Z0-9_]+)/g,
      ),
    ].map((match) => match[1]!);
    expect(names).toEqual(
      expect.arrayContaining(['NATS_URL', 'DATABASE_URL', 'THREADLINE_MASTER_KEY']),
    );
    // POSTGRES_PASSWORD only feeds $(POSTGRES_PASSWORD) in DATABASE_URL; PORT is the gateway's.
    const declared = (name: string) =>
      shared.includes(`${name}:`) ||
      name === 'POSTGRES_PASSWORD' ||
      read('services/gateway/src/config.ts').includes(`${name}:`);
    expect(names.filter((name) => !declared(name))).toEqual([]);
  });

  it.each(serviceNames)('each env key of services.%s is one its config.ts reads', (name) => {
    const config = read(`services/${name}/src/config.ts`) + shared;
    const unknown = Object.keys(values.services[name]!.env).filter(
      (key) => !config.includes(`${key}:`),
    );
    expect(unknown).toEqual([]);
  });
});
