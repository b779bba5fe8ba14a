import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import { readYamlSource } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Where the data marks information exempt, read from the YAML itself, so that it is
 * known even when the data is invalid: the lines of each piece that carries `exempt`
 * (a section, appendix, group, item or field), by file, and the ids and keys declared
 * inside them. What a public build says about the data is withheld by these (model/withhold.ts).
 */
export interface ExemptPlaces {
  /** Line ranges (1-based, inclusive) of exempt pieces, by file. */
  lines: Map<string, { first: number; last: number }[]>;
  /** Ids, keys and own numbers declared inside exempt pieces. */
  names: Set<string>;
  /** Files that could not be read as YAML: what is exempt in them cannot be told. */
  unread: Set<string>;
}

/** Keys whose values name an exempt piece rather than say something in it. */
const NAMING_KEYS = new Set(['id', 'key', 'number']);

/** The exempt places in a data set's files (names relative to the data folder). Pure. */
export function exemptPlaces(files: ReadonlyMap<string, Uint8Array>): ExemptPlaces {
  const places: ExemptPlaces = { lines: new Map(), names: new Set(), unread: new Set() };
  for (const [file, bytes] of files) {
    const { source } = readYamlSource(file, bytes);
    if (!source) places.unread.add(file);
    else collect(source, places);
  }
  return places;
}

/** Walks one file's document for maps that carry `exempt`, noting their lines and the names inside them. */
function collect(source: YamlSource, places: ExemptPlaces): void {
  const ranges: { first: number; last: number }[] = [];
  const walk = (node: unknown, inside: boolean): void => {
    if (isSeq(node)) for (const item of node.items) walk(item, inside);
    if (!isMap(node)) return;
    const exempt = inside || (node as YAMLMap).has('exempt');
    if (exempt && !inside && node.range) {
      const [start, end] = node.range;
      ranges.push({ first: source.lines.at(start).line, last: source.lines.at(Math.max(start, end - 1)).line });
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (exempt && NAMING_KEYS.has(key) && isScalar(pair.value) && pair.value.value !== null) places.names.add(String(pair.value.value).trim());
      if (key !== 'exempt') walk(pair.value, exempt);
    }
  };
  walk(source.doc.contents, false);
  if (ranges.length > 0) places.lines.set(source.file, ranges);
}
