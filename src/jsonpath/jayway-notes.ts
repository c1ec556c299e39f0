/**
 * Where a rule's JSONPath means something else to Jayway 2.9 (psoxy) than it says, found from the
 * path alone, for `psoxy rules check`. ARCHITECTURE.md ("JSONPath dialect") gives each reason.
 */
import type { PathAst, Segment } from './ast.ts';
import { parseJsonPath } from './parser.ts';

const isSingleIndex = (s: Segment) => s.kind === 'index' && s.indices.length === 1 && s.indices[0] >= 0;
const isSingleProperty = (s: Segment | undefined) => s?.kind === 'property' && s.names.length === 1;

/** One sentence per difference; none when Jayway matches what the path names (or more). */
export function jaywayDifferences(path: string): string[] {
  const { segments }: PathAst = parseJsonPath(path);
  const notes: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i];
    // A property target never feeds array elements, and `[0]` keeps exactly element 0.
    if (segments[i - 1].kind === 'scan' && i + 1 === last && seg.kind !== 'property' && !isSingleIndex(seg) && isSingleProperty(segments[last])) {
      notes.push('after a deep scan, psoxy (Jayway) drops this leaf in array elements, and in later objects once an array was seen: psoxy leaves those values in place; here the transform reaches every value the path names');
    }
    if (seg.kind === 'slice' && seg.start !== null && seg.start >= 0 && seg.end !== null && seg.end < 0) {
      notes.push(`psoxy (Jayway) matches nothing with [${seg.start}:${seg.end}] (a negative end after a non-negative start) and leaves those values in place; here the slice takes the elements it names`);
    }
  }
  const leaf = segments[last];
  const negativeLeaf = leaf && ((leaf.kind === 'index' && leaf.indices.some((k) => k < 0)) || (leaf.kind === 'slice' && leaf.start !== null && leaf.start < 0 && leaf.end !== null));
  if (negativeLeaf) {
    notes.push('psoxy (Jayway) fails the whole response when this negative index matches (it updates the index as given: IndexOutOfBoundsException); so does this proxy, to give the same answer');
  }
  return notes;
}
