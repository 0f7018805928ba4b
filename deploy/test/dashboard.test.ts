import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The Grafana dashboard is JSON no Grafana loads here: these checks hold it to the metrics the
// services really export, so a renamed metric fails a test instead of leaving an empty panel.
const repository = join(import.meta.dirname, '../..');
const chart = join(repository, 'deploy/helm/threadline');
const dashboardFile = 'dashboards/threadline.json';

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string }[];
}
const dashboard = JSON.parse(readFileSync(join(chart, dashboardFile), 'utf8')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
};
const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');

/** Every `.ts` file under `directory`, tests excluded. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.includes('.test.') ? [path] : [];
  });
}

/**
 * The metric names Threadline's processes export: every metric-shaped string literal of a source
 * file that uses prom-client (its own metrics), and prom-client's default metrics.
 */
function exportedMetricNames(): Set<string> {
  const files = ['services', 'packages'].flatMap((top) =>
    readdirSync(join(repository, top)).flatMap((name) => {
      const src = join(repository, top, name, 'src');
      try {
        return sourceFiles(src);
      } catch {
        return [];
      }
    }),
  );
  const names = new Set<string>();
  const collect = (text: string) => {
    for (const [, name] of text.matchAll(/'([a-z][a-z0-9]*(?:_[a-z0-9]+)+)'/g)) names.add(name!);
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (text.includes("from 'prom-client'")) collect(text);
  }
  const defaults = join(repository, 'packages/runtime/node_modules/prom-client/lib/metrics');
  for (const file of readdirSync(defaults).filter((name) => name.endsWith('.js')))
    collect(readFileSync(join(defaults, file), 'utf8'));
  return names;
}

/** The metric names a PromQL expression selects (`name{…}`). */
function selectedMetrics(expr: string): string[] {
  return [...expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1]!);
}

describe('the Grafana dashboard', () => {
  it('has a stable uid, a Prometheus data source variable and a namespace variable', () => {
    expect(dashboard.uid).toBe('threadline-overview');
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual([
      'datasource',
      'namespace',
    ]);
  });

  it('every graph queries Prometheus through the variable, with titled, unique panels', () => {
    expect(graphs.length).toBeGreaterThan(20);
    for (const panel of graphs) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not JS's
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
    const titles = graphs.map((panel) => panel.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('selects only metrics the services export, within the chosen namespace', () => {
    const exported = exportedMetricNames();
    const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
    for (const panel of graphs) {
      for (const { expr } of panel.targets ?? []) {
        const selected = selectedMetrics(expr);
        expect(selected.length, expr).toBeGreaterThan(0);
        for (const name of selected) {
          expect(exported.has(name) || exported.has(base(name)), `${panel.title}: ${name}`).toBe(
            true,
          );
        }
        expect(expr, panel.title).toContain('namespace="$namespace"');
      }
    }
  });

  it('covers what an operator watches: methods, pushes, connections, webhooks, consumer lag', () => {
    const queried = new Set(
      graphs.flatMap((panel) => (panel.targets ?? []).flatMap((t) => selectedMetrics(t.expr))),
    );
    for (const name of [
      'gateway_method_duration_seconds_bucket',
      'gateway_pushes_delivered_total',
      'gateway_rtm_connections',
      'chat_store_commands_total',
      'router_waiting_chats',
      'threadline_webhook_delivery_latency_seconds_bucket',
      'threadline_consumer_pending_messages',
    ])
      expect(queried, name).toContain(name);
  });

  it('is what the chart’s ConfigMap template ships', () => {
    const template = readFileSync(join(chart, 'templates/grafana-dashboard.yaml'), 'utf8');
    expect(template).toContain(`.Files.Get "${dashboardFile}"`);
  });
});
