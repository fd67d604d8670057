import { stem } from './stemmer';

/**
 * A deliberately small, hand-picked table of synonym groups for searching code
 * and technical documents: mostly abbreviation ↔ full word, plus a few verbs
 * developers use interchangeably. It is not a thesaurus — every group widens
 * recall and costs precision, so a group belongs here only when the words are
 * near-interchangeable in files people store.
 *
 * A member matches the query word by its surface form or by its stem (so
 * `deleted` finds the delete group). A member written `=word` matches only by
 * its exact surface form: `settings` stems to `set`, and the common word `set`
 * must not pull in the configuration group. Expansions are always stems, since
 * the index holds stems; `config` therefore also expands to `set` — callers
 * should weight synonyms below the word the user typed.
 */
const GROUPS: readonly string[][] = [
  ['config', 'configs', 'configuration', 'cfg', 'conf', '=settings', '=setting'],
  ['delete', 'remove', 'rm', 'del', 'erase'],
  ['auth', 'authentication', 'authenticate', 'authn'],
  ['authz', 'authorization', 'authorize'],
  ['db', 'database'],
  ['err', 'error'],
  ['init', 'initialize', 'initialise', 'initialization'],
  ['dir', 'directory', 'folder'],
  ['repo', 'repository'],
  ['doc', 'docs', 'documentation'],
  ['env', 'environment'],
  ['arg', 'args', 'argument'],
  ['param', 'params', 'parameter'],
  ['msg', 'message'],
  ['req', 'request'],
  ['resp', 'response'],
  ['img', 'image'],
  ['btn', 'button'],
  ['max', 'maximum'],
  ['tmp', 'temp', 'temporary'],
  ['async', 'asynchronous'],
  ['spec', 'specification'],
  ['impl', 'implementation'],
  ['fn', 'func', 'function'],
  ['pkg', 'package'],
  ['lib', 'library'],
  ['util', 'utils', 'utility'],
  ['exec', 'execute'],
  ['cmd', 'command'],
  ['ctx', 'context'],
  ['src', 'source'],
  ['dest', 'dst', 'destination'],
  ['mv', 'move'],
  ['cp', 'copy'],
  ['perf', 'performance'],
];

const stemmed = (word: string): string => (/^[a-z]+$/.test(word) ? stem(word) : word);

/** Lookup key → the stems of every member of its group(s). */
const INDEX: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  const add = (key: string, stems: string[]) => {
    const current = index.get(key) ?? [];
    index.set(key, [...new Set([...current, ...stems])]);
  };
  for (const group of GROUPS) {
    const words = group.map((m) => m.replace(/^=/, ''));
    const stems = [...new Set(words.map(stemmed))];
    for (const member of group) {
      const surfaceOnly = member.startsWith('=');
      const word = member.replace(/^=/, '');
      add(word, stems);
      if (!surfaceOnly) add(stemmed(word), stems);
    }
  }
  return index;
})();

/** Number of synonym groups (the table is meant to stay small). */
export const SYNONYM_GROUP_COUNT = GROUPS.length;

/**
 * The stemmed terms a lowercase word's synonym group expands to (including the
 * word's own stem), or an empty array when the word is in no group.
 */
export function synonymsOf(word: string): readonly string[] {
  return INDEX.get(word) ?? INDEX.get(stemmed(word)) ?? [];
}
