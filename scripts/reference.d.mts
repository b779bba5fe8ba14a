/** docs/reference/data.md from the data files' JSON Schemas (keyed `report.schema.json` …). */
export function dataReference(schemas: Map<string, Record<string, unknown>>): string;
/** docs/reference/config.md from csi.config.yaml's JSON Schema. */
export function configReference(schema: Record<string, unknown>): string;
