/** JSON output: the result object itself, stable key order as built, two-space indent. */
export function renderJson(result: unknown): string {
  return JSON.stringify(result, null, 2) + '\n';
}
