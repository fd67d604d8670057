// Where a JSON text goes wrong. JSON.parse's messages in Node 20 do not always say
// where; this scanner (RFC 8259 syntax, no values built) finds the offset of the first
// error so importDefinition can report a line and column.

export interface JsonSyntaxError {
  readonly offset: number;
  readonly reason: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  const fail = (reason: string): never => {
    throw new Stop(at, at >= text.length ? 'unexpected end of input' : reason);
  };
  const unexpected = (): never => fail(`unexpected character ${JSON.stringify(text[at])}`);
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  const literal = (word: string): void => {
    for (const char of word) {
      if (text[at] !== char) unexpected();
      at++;
    }
  };
  const string = (): void => {
    at++; // the opening quote
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('unterminated string');
      if (char === '"') {
        at++;
        return;
      }
      if (char === '\\') {
        at++;
        const escape = text[at];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail('bad \\u escape');
          at += 5;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) at++;
        else fail('bad escape');
      } else if ((char as string).charCodeAt(0) < 0x20) fail('control character in string');
      else at++;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) unexpected();
    at += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail(`expected a property name, found ${JSON.stringify(text[at])}`);
        string();
        space();
        if (text[at] !== ':') fail(`expected ":", found ${JSON.stringify(text[at])}`);
        at++;
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') {
          at++;
          return;
        } else fail(`expected "," or "}", found ${JSON.stringify(text[at])}`);
      }
    }
    if (char === '[') {
      at++;
      space();
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') {
          at++;
          return;
        } else fail(`expected "," or "]", found ${JSON.stringify(text[at])}`);
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return number();
    unexpected();
  };
  try {
    value();
    space();
    if (at < text.length) unexpected();
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, reason: error.reason };
    throw error;
  }
}
