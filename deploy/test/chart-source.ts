import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The chart's templates as text, read without Helm: what a test can check of a chart no Helm
 * binary renders here. Nothing is evaluated.
 */
export interface ChartSource {
  /** File name → template text (templates/*.yaml). */
  templates: Record<string, string>;
  /** `define` name → body, from templates/*.tpl. */
  defines: Record<string, string>;
}

export function readChartSource(chartDirectory: string): ChartSource {
  const directory = join(chartDirectory, 'templates');
  const templates: Record<string, string> = {};
  const defines: Record<string, string> = {};
  for (const file of readdirSync(directory).sort()) {
    const text = readFileSync(join(directory, file), 'utf8');
    if (file.endsWith('.yaml')) templates[file] = text;
    if (file.endsWith('.tpl')) Object.assign(defines, parseDefines(text));
  }
  return { templates, defines };
}

function parseDefines(text: string): Record<string, string> {
  const defines: Record<string, string> = {};
  const pattern =
    /\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}([\s\S]*?)\{\{-?\s*end\s*-?\}\}(?=\s*(?:\{\{-?\s*(?:define|\/\*)|$))/g;
  for (const match of text.matchAll(pattern)) defines[match[1]!] = match[2]!;
  return defines;
}

/** A template's YAML documents (split on `---` lines), each with its `kind`. */
export function documents(text: string): { kind: string | undefined; text: string }[] {
  return text
    .split(/^---$/m)
    .map((part) => ({ kind: /^kind:\s*(\S+)/m.exec(part)?.[1], text: part }))
    .filter((part) => part.kind !== undefined);
}

/**
 * Every values path a template reads: `.Values.a.b` directly, and `$var.c` where `$var` was bound
 * to a values path (`$x := .Values.a`, or the element of `range $k, $v := .Values.a`, which stands
 * for each entry of `a`: the path gets `*` there).
 */
export function valuesPaths(text: string): string[][] {
  const bindings = new Map<string, string[]>();
  for (const match of text.matchAll(
    /range\s+\$\w+\s*,\s*(\$\w+)\s*:=\s*\$?\.Values((?:\.[A-Za-z0-9_]+)+)/g,
  )) {
    bindings.set(match[1]!, [...segments(match[2]!), '*']);
  }
  for (const match of text.matchAll(/(\$\w+)\s*:=\s*\$?\.Values((?:\.[A-Za-z0-9_]+)+)/g)) {
    if (!bindings.has(match[1]!)) bindings.set(match[1]!, segments(match[2]!));
  }
  const paths: string[][] = [];
  for (const match of text.matchAll(/\$?\.Values((?:\.[A-Za-z0-9_]+)+)/g)) {
    paths.push(segments(match[1]!));
  }
  for (const [variable, base] of bindings) {
    const escaped = variable.replace('$', '\\$');
    for (const match of text.matchAll(new RegExp(`${escaped}((?:\\.[A-Za-z0-9_]+)+)`, 'g'))) {
      paths.push([...base, ...segments(match[1]!)]);
    }
  }
  return paths;
}

function segments(dotted: string): string[] {
  return dotted.split('.').filter((part) => part !== '');
}

/** The paths among `paths` that values.yaml lacks (`*` = every entry of a map must have the rest). */
export function missingPaths(values: unknown, paths: string[][]): string[] {
  const missing = new Set<string>();
  for (const path of paths) {
    for (const concrete of expand(values, path, [])) missing.add(concrete);
  }
  return [...missing].sort();
}

function expand(node: unknown, path: string[], walked: string[]): string[] {
  if (path.length === 0) return [];
  const [head, ...rest] = path;
  if (node === null || typeof node !== 'object') return [[...walked, ...path].join('.')];
  const record = node as Record<string, unknown>;
  if (head === '*') {
    return Object.entries(record).flatMap(([key, child]) => expand(child, rest, [...walked, key]));
  }
  if (!(head! in record)) return [[...walked, ...path].join('.')];
  return expand(record[head!], rest, [...walked, head!]);
}

const controlLine =
  /^\s*\{\{-?\s*(?:if|else|end|range|with|define|\$\w+\s*:=|\/\*)[\s\S]*?-?\}\}\s*$/;
const nindentLine =
  /^(\s*)\{\{-?\s*(include\s+"([^"]+)"[^|}]*|toYaml[^|}]*)\|\s*nindent\s+(\d+)\s*-?\}\}\s*$/;

/**
 * A template's text with its actions replaced, so its YAML shape can be parsed without Helm:
 * control lines (`if`, `else`, `range`, `end`, assignments) are dropped, so every branch is kept;
 * `include … | nindent n` inserts the define's body, stripped the same way, at column n;
 * `toYaml … | nindent n` becomes a placeholder entry at column n (a list item where its siblings
 * are list items); any other action becomes the scalar `x`. Not a renderer: it checks indentation
 * and structure of the text as written, not the values it would produce.
 */
export function stripTemplate(text: string, defines: Record<string, string>, depth = 0): string {
  const lines = text.replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '').split('\n');
  const output: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (controlLine.test(line)) continue;
    const inserted = nindentLine.exec(line);
    if (inserted) {
      const column = ' '.repeat(Number(inserted[4]));
      const body = inserted[3] !== undefined ? defines[inserted[3]] : undefined;
      if (body !== undefined && depth < 5) {
        for (const bodyLine of stripTemplate(body, defines, depth + 1).split('\n')) {
          if (bodyLine.trim() !== '') output.push(column + bodyLine);
        }
      } else {
        const sibling = [...lines.slice(0, index)]
          .reverse()
          .find((previous) => !controlLine.test(previous) && previous.trim() !== '');
        const listItem = sibling?.startsWith(`${column}- `) ?? false;
        output.push(column + (listItem ? '- x' : 'rendered: x'));
      }
      continue;
    }
    output.push(line.replace(/\{\{-?[\s\S]*?-?\}\}/g, 'x'));
  }
  return output.join('\n');
}
