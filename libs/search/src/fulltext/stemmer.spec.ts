import { stem } from './stemmer';

// Pairs from the Snowball English (Porter2) reference: the sample vocabulary on
// snowballstem.org/algorithms/english/stemmer.html and the rules' own examples.
const REFERENCE: Array<[string, string]> = [
  // The reference vocabulary sample.
  ['consign', 'consign'],
  ['consigned', 'consign'],
  ['consigning', 'consign'],
  ['consignment', 'consign'],
  ['consistency', 'consist'],
  ['consistently', 'consist'],
  ['consolation', 'consol'],
  ['consolations', 'consol'],
  ['consolatory', 'consolatori'],
  ['consoled', 'consol'],
  ['consolidate', 'consolid'],
  ['consolidating', 'consolid'],
  ['consolingly', 'consol'],
  ['consonant', 'conson'],
  ['conspicuous', 'conspicu'],
  ['conspicuously', 'conspicu'],
  ['conspiracy', 'conspiraci'],
  ['conspirator', 'conspir'],
  ['conspirators', 'conspir'],
  ['constable', 'constabl'],
  ['constancy', 'constanc'],
  ['constant', 'constant'],
  ['knackeries', 'knackeri'],
  ['knavish', 'knavish'],
  ['kneaded', 'knead'],
  ['kneeling', 'kneel'],
  ['knees', 'knee'],
  ['knightly', 'knight'],
  ['knitting', 'knit'],
  ['knives', 'knive'],
  ['knocker', 'knocker'],
  ['knocking', 'knock'],
  // Step 1a: plurals.
  ['caresses', 'caress'],
  ['ponies', 'poni'],
  ['ties', 'tie'],
  ['cries', 'cri'],
  ['gas', 'gas'],
  ['this', 'this'],
  ['gaps', 'gap'],
  ['kiwis', 'kiwi'],
  // Step 1b: -ed/-ing, undoubling, restoring e on short words.
  ['running', 'run'],
  ['hopping', 'hop'],
  ['hoped', 'hope'],
  ['hoping', 'hope'],
  ['agreed', 'agre'],
  ['feed', 'feed'],
  ['fizzed', 'fizz'],
  ['connected', 'connect'],
  ['connecting', 'connect'],
  // Step 1c and the consonant y.
  ['cry', 'cri'],
  ['by', 'by'],
  ['say', 'say'],
  ['sayings', 'say'],
  ['enjoying', 'enjoy'],
  ['happy', 'happi'],
  // Steps 2–5.
  ['generously', 'generous'],
  ['generate', 'generat'],
  ['communication', 'communic'],
  ['connection', 'connect'],
  ['connections', 'connect'],
  ['relational', 'relat'],
  ['conditional', 'condit'],
  ['rational', 'ration'],
  ['national', 'nation'],
  ['organization', 'organ'],
  ['hopeful', 'hope'],
  ['goodness', 'good'],
  ['happiness', 'happi'],
  ['argument', 'argument'],
  // Exceptions.
  ['skies', 'sky'],
  ['skis', 'ski'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['news', 'news'],
  ['early', 'earli'],
  ['only', 'onli'],
  ['innings', 'inning'],
  ['succeed', 'succeed'],
  ['proceed', 'proceed'],
  ['atlas', 'atlas'],
];

describe('Porter2 stem', () => {
  it.each(REFERENCE)('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('leaves words of two letters or fewer alone', () => {
    expect(['a', 'is', 'as', 'ed'].map(stem)).toEqual(['a', 'is', 'as', 'ed']);
  });

  it('maps inflections of one word to one stem', () => {
    const forms = ['connect', 'connected', 'connecting', 'connection', 'connections', 'connects'];
    expect(new Set(forms.map(stem))).toEqual(new Set(['connect']));
  });
});
