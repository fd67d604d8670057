import { ValidationError } from '@nexus/core';
import type { FileMetadata, FileMetadataValue } from '../entities/file-path.entity';

/** Limits on one entry's metadata and tags (each breach is a 400 naming the field). */
export const METADATA_LIMITS = {
  keys: 64,
  keyChars: 64,
  stringValueChars: 1024,
  tags: 64,
  tagChars: 64,
} as const;

/** Keys: a letter or digit, then letters, digits, `_ . : -` (safe in query filters and URLs). */
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
/** Tags: any letter or digit first, then letters, digits, `_ . : / -` (so `team/search` works). */
const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_.:/-]*$/u;

/** What one PATCH /fs/metadata asks for. */
export interface MetadataChange {
  set?: Record<string, unknown>;
  unset?: readonly string[];
  addTags?: readonly string[];
  removeTags?: readonly string[];
}

function invalid(field: string, message: string, details: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(`${field}: ${message}`, { field, ...details }, 'INVALID_METADATA');
}

function checkKey(field: string, key: string): void {
  if (key.length === 0 || key.length > METADATA_LIMITS.keyChars)
    throw invalid(field, `keys are 1 to ${METADATA_LIMITS.keyChars} characters`, { key });
  if (!KEY.test(key))
    throw invalid(field, 'keys start with a letter or digit and use only letters, digits and _ . : -', {
      key,
    });
}

function checkValue(field: string, value: unknown): FileMetadataValue {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(field, 'numbers must be finite');
    return value;
  }
  if (typeof value === 'string') {
    if (value.length > METADATA_LIMITS.stringValueChars)
      throw invalid(field, `strings are at most ${METADATA_LIMITS.stringValueChars} characters`);
    return value;
  }
  throw invalid(field, 'values are strings, numbers or booleans');
}

function checkTag(field: string, tag: unknown): string {
  if (typeof tag !== 'string') throw invalid(field, 'tags are strings');
  const normalized = tag.normalize('NFC');
  if (normalized.length === 0 || normalized.length > METADATA_LIMITS.tagChars)
    throw invalid(field, `tags are 1 to ${METADATA_LIMITS.tagChars} characters`, { tag });
  if (!TAG.test(normalized))
    throw invalid(field, 'tags start with a letter or digit and use only letters, digits and _ . : / -', {
      tag,
    });
  return normalized;
}

/** Throws a 400 naming the field for anything malformed, before anything is read or locked. */
export function validateMetadataChange(change: MetadataChange): void {
  const set = change.set ?? {};
  for (const [key, value] of Object.entries(set)) {
    checkKey(`set.${key}`, key);
    checkValue(`set.${key}`, value);
  }
  for (const [index, key] of (change.unset ?? []).entries()) {
    checkKey(`unset[${index}]`, key);
    if (Object.hasOwn(set, key)) throw invalid(`unset[${index}]`, `"${key}" is also in set`);
  }
  const added = new Set((change.addTags ?? []).map((tag, i) => checkTag(`addTags[${i}]`, tag)));
  for (const [index, tag] of (change.removeTags ?? []).entries())
    if (added.has(checkTag(`removeTags[${index}]`, tag)))
      throw invalid(`removeTags[${index}]`, `"${tag}" is also in addTags`);
  const empty =
    Object.keys(set).length === 0 &&
    (change.unset ?? []).length === 0 &&
    added.size === 0 &&
    (change.removeTags ?? []).length === 0;
  if (empty) throw invalid('set', 'nothing to change: give set, unset, addTags or removeTags');
}

/** The entry's metadata and tags after the (validated) change; throws 400 past the count limits. */
export function applyMetadataChange(
  current: { metadata: FileMetadata; tags: readonly string[] },
  change: MetadataChange,
): { metadata: FileMetadata; tags: string[] } {
  const metadata: FileMetadata = { ...current.metadata };
  for (const key of change.unset ?? []) delete metadata[key];
  for (const [key, value] of Object.entries(change.set ?? {})) metadata[key] = value as FileMetadataValue;
  if (Object.keys(metadata).length > METADATA_LIMITS.keys)
    throw invalid('set', `an entry holds at most ${METADATA_LIMITS.keys} metadata keys`);
  const tags = new Set(current.tags);
  for (const tag of change.removeTags ?? []) tags.delete(tag.normalize('NFC'));
  for (const tag of change.addTags ?? []) tags.add(tag.normalize('NFC'));
  if (tags.size > METADATA_LIMITS.tags)
    throw invalid('addTags', `an entry holds at most ${METADATA_LIMITS.tags} tags`);
  return { metadata, tags: [...tags].sort() };
}
