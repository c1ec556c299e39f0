/** Jayway-dialect JSONPath: compile once, then read, map or delete in place. */
import { parseJsonPath } from './parser.ts';
import { CompiledPath } from './evaluate.ts';

export { JsonPathSyntaxError } from './parser.ts';
export { CompiledPath, JsonPathEvaluationError } from './evaluate.ts';
export type { JsonPathLocation } from './evaluate.ts';

export function compileJsonPath(path: string): CompiledPath {
  return new CompiledPath(path, parseJsonPath(path));
}
