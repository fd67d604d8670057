import { countContentTerms } from '../fulltext/content-term-counter';
import { contentTrigrams } from '../grep/byte-trigrams';

/** What indexing needs of a text file's content, as typed arrays (they cross threads without copying). */
export interface ContentAnalysis {
  /** Distinct full-text term hashes, and each one's occurrences (aligned). */
  termHashes: Int32Array;
  termCounts: Uint16Array;
  /** Tokens in the content (BM25's document length). */
  termCount: number;
  /** Distinct byte trigrams (ASCII folded to lower case), sorted. */
  trigrams: Int32Array;
}

/** u16: a count beyond this adds nothing to BM25 anyway (it saturates). */
const MAX_COUNT = 65_535;

/** Binary like ripgrep decides it: the content holds a NUL byte. */
export function isBinaryContent(content: Uint8Array): boolean {
  return content.includes(0);
}

/** The content's terms and trigrams; null for binary content (indexed by name only). */
export function analyzeContent(content: Buffer): ContentAnalysis | null {
  if (isBinaryContent(content)) return null;
  const { counts, length } = countContentTerms(content);
  const termHashes = new Int32Array(counts.size);
  const termCounts = new Uint16Array(counts.size);
  let i = 0;
  for (const [hash, count] of counts) {
    termHashes[i] = hash;
    termCounts[i++] = Math.min(count, MAX_COUNT);
  }
  return { termHashes, termCounts, termCount: length, trigrams: contentTrigrams(content) };
}

/** The buffers of an analysis, to transfer rather than copy between threads. */
export const analysisBuffers = (analysis: ContentAnalysis): ArrayBuffer[] => [
  analysis.termHashes.buffer as ArrayBuffer,
  analysis.termCounts.buffer as ArrayBuffer,
  analysis.trigrams.buffer as ArrayBuffer,
];
