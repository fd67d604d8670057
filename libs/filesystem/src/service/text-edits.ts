import { ValidationError } from '@nexus/core';
import { editAmbiguous, editMismatch } from '../filesystem.errors';

/** A literal search/replace: `find` must occur exactly once, or at least once with `all`. */
export interface TextEdit {
  find: string;
  replace: string;
  all?: boolean;
}

export const MAX_EDITS = 1000;

/** Rejects malformed edit lists (400) before anything is read or written. */
export function validateEdits(edits: readonly TextEdit[]): void {
  // The input comes from request bodies: check the shape as well as the sizes.
  const shape: unknown = edits;
  if (!Array.isArray(shape) || edits.length < 1 || edits.length > MAX_EDITS)
    throw new ValidationError(`edits must list 1 to ${MAX_EDITS} edits`);
  edits.forEach((edit, index) => {
    if (typeof edit?.find !== 'string' || edit.find === '')
      throw new ValidationError(`edit ${index}: find must be a non-empty string`, { index });
    if (typeof edit.replace !== 'string')
      throw new ValidationError(`edit ${index}: replace must be a string`, { index });
    if (edit.all !== undefined && typeof edit.all !== 'boolean')
      throw new ValidationError(`edit ${index}: all must be a boolean`, { index });
  });
}

/** Non-overlapping occurrences of `find`, left to right. */
function occurrences(text: string, find: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(find); at >= 0; at = text.indexOf(find, at + find.length)) found.push(at);
  return found;
}

/**
 * Applies the edits in order, each to the previous one's result. Replacement
 * text is literal (no `$` patterns). Throws 409 EDIT_MISMATCH when a find is
 * absent and EDIT_AMBIGUOUS when a single-occurrence find occurs more than once.
 */
export function applyEdits(
  path: string,
  text: string,
  edits: readonly TextEdit[],
): { text: string; replacements: number } {
  let replacements = 0;
  edits.forEach((edit, index) => {
    const found = occurrences(text, edit.find);
    if (found.length === 0) throw editMismatch(path, index);
    if (found.length > 1 && !edit.all) throw editAmbiguous(path, index, found.length);
    text = text.split(edit.find).join(edit.replace);
    replacements += found.length;
  });
  return { text, replacements };
}
