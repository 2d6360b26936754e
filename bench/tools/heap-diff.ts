import { readFileSync } from 'node:fs';

/**
 * Per-workflow heap by kind of object, between two snapshots of workflow-heap.ts --snapshot (n workflows each):
 *   node --import tsx bench/tools/heap-diff.ts <base.heapsnapshot> <other.heapsnapshot> <n> [rows]
 * Self sizes summed by node type and name (constructor, closure or system name; every string counts as "string"),
 * (other − base) / n, largest first. It answers "what do the extra KiB consist of", not "who retains them".
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function bySort(path: string): Map<string, number> {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const sums = new Map<string, number>();
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const type = types[s.nodes[i + typeAt]!]!;
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : s.strings[s.nodes[i + nameAt]!]!.slice(0, 60);
    const key = `${type}:${name}`;
    sums.set(key, (sums.get(key) ?? 0) + s.nodes[i + sizeAt]!);
  }
  return sums;
}

function main(): void {
  const [basePath, otherPath, nArg, rowsArg] = process.argv.slice(2);
  const n = Number(nArg);
  const base = bySort(basePath!);
  const other = bySort(otherPath!);
  const keys = new Set([...base.keys(), ...other.keys()]);
  const rows = [...keys].map((k) => ({ k, d: ((other.get(k) ?? 0) - (base.get(k) ?? 0)) / n })).sort((a, b) => b.d - a.d);
  const total = rows.reduce((t, r) => t + r.d, 0);
  console.log(`total ${(total / 1024).toFixed(1)} KiB per workflow`);
  for (const { k, d } of rows.slice(0, Number(rowsArg ?? 40))) console.log(`${(d / 1024).toFixed(2).padStart(8)} KiB  ${k}`);
}

main();
