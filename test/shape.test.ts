/**
 * The shape of src/, as docs/architecture.md describes it: a few folders
 * named for the steps of the flow, whose imports go one way; files and
 * functions short enough to read at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve('src');
/** Tables of data, not logic: long because the data is. */
const DATA_TABLES = new Set(['feishu/errorCatalogue.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The folder of src/ a file is in, `depth` levels down at most ('.' for src/ itself). */
function folderOf(file: string, depth: number): string {
  const dirs = relative(SRC, file).split('/').slice(0, -1);
  return dirs.length > 0 ? dirs.slice(0, depth).join('/') : '.';
}

/** Static imports, re-exports and dynamic `import('…')` of files in src/. */
const IMPORT = /(?:from |import\()\s*'(\.{1,2}\/[^']+)'/g;

/** Which folders each folder imports from, folders taken `depth` levels down. */
function folderImports(depth: number): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file, depth);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(resolve(dirname(file), spec!), depth);
      if (to === from || from.startsWith(`${to}/`) || to.startsWith(`${from}/`)) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** A cycle of folders, as the path that closes it, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Functions (declarations, methods, arrows) longer than `max` lines, as `file:line name (lines)`. */
function longFunctions(max: number): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
        const name = node.name?.getText() ?? '(anonymous)';
        if (lines > max) found.push(`${relative(SRC, file)}:${first + 1} ${name} (${lines})`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

it('no folder of src/ imports, directly or through others, a folder that imports it', () => {
  expect(findCycle(folderImports(1))).toBeUndefined();
});

it('nor does any folder within them (inbound/http, state/redis…)', () => {
  expect(findCycle(folderImports(2))).toBeUndefined();
});

it('sees dynamic imports as imports', () => {
  // As app/main.ts loads the Redis state, only when REDIS_URL is set.
  expect("await import('../state/redis/redisState.js')".match(IMPORT)).toHaveLength(1);
});

it('finds a cycle when there is one (the check itself)', () => {
  const graph = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a'])],
  ]);
  expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  expect(findCycle(new Map([['a', new Set(['b'])]]))).toBeUndefined();
});

it('has at most 12 entries directly under src/', () => {
  expect(readdirSync(SRC).length).toBeLessThanOrEqual(12);
});

it('has no file over 300 lines but its data tables', () => {
  const long = sourceFiles(SRC)
    .filter((f) => !DATA_TABLES.has(relative(SRC, f)))
    .map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length }))
    .filter((f) => f.lines > 300);
  expect(long).toEqual([]);
});

it('has no function over 80 lines', () => {
  expect(longFunctions(80)).toEqual([]);
});
