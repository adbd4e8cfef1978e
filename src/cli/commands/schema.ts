/** rvlms schema <case|rules>: the JSON Schema of a case file or a rule file. */
import type { ExitCode, Io } from '../io.js';

export async function runSchema(kind: 'case' | 'rules', io: Io): Promise<ExitCode> {
  const schema =
    kind === 'case' ? (await import('../../case/schema.js')).caseJsonSchema() : (await import('../../rules/schema.js')).rulesJsonSchema();
  io.out(JSON.stringify(schema, null, 2) + '\n');
  return 0;
}
