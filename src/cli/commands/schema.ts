/** rvlms schema <case|rules|map>: the JSON Schema of a case file, a rule file or a column map. */
import type { ExitCode, Io } from '../io.js';

export type SchemaKind = 'case' | 'rules' | 'map';

async function schemaOf(kind: SchemaKind): Promise<unknown> {
  switch (kind) {
    case 'case':
      return (await import('../../case/schema.js')).caseJsonSchema();
    case 'rules':
      return (await import('../../rules/schema.js')).rulesJsonSchema();
    case 'map':
      return (await import('../../batch/map-load.js')).mapJsonSchema();
  }
}

export async function runSchema(kind: SchemaKind, io: Io): Promise<ExitCode> {
  io.out(JSON.stringify(await schemaOf(kind), null, 2) + '\n');
  return 0;
}
