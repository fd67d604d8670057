import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function requestWith(header?: string | string[]): IncomingMessage {
  return {
    headers: header === undefined ? {} : { [REQUEST_ID_HEADER]: header },
  } as unknown as IncomingMessage;
}

describe('requestIdFor', () => {
  it('reads the x-request-id header', () => {
    expect(REQUEST_ID_HEADER).toBe('x-request-id');
  });

  it.each(['abc-123', '0b5c2f7e-1d2a-4c55-9a5e-2f9e4c1b7d3a', 'gateway:trace.1_A-b', 'a', 'x'.repeat(128)])(
    'echoes the sane id %p',
    (id) => {
      expect(requestIdFor(requestWith(id))).toBe(id);
    },
  );

  it('makes a UUID when there is no header', () => {
    expect(requestIdFor(requestWith())).toMatch(UUID);
  });

  it.each([
    ['empty', ''],
    ['129 characters long', 'x'.repeat(129)],
    ['a header injection', 'abc\r\nSet-Cookie: session=evil'],
    ['markup', '<script>alert(1)</script>'],
    ['spaces', 'abc 123'],
    ['a path', '../../etc/passwd'],
    ['a log-forging newline', 'abc\n{"level":"fatal"}'],
    ['non-ASCII', 'id-ünïcödé'],
    ['a trailing newline', 'abc-123\n'],
  ])('replaces an id that is %s with a UUID', (_name, id) => {
    const result = requestIdFor(requestWith(id));

    expect(result).toMatch(UUID);
    expect(result).not.toBe(id);
  });

  it('makes a fresh UUID for each request', () => {
    expect(requestIdFor(requestWith())).not.toBe(requestIdFor(requestWith()));
  });

  it('uses the first of repeated headers', () => {
    expect(requestIdFor(requestWith(['first-id', 'second-id']))).toBe('first-id');
  });

  it('does not fall back to a later repeated header when the first is bad', () => {
    expect(requestIdFor(requestWith(['bad id', 'good-id']))).toMatch(UUID);
    expect(requestIdFor(requestWith([]))).toMatch(UUID);
  });

  it('always answers an acceptable id, and the caller’s exactly when it is acceptable (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/)),
        (given) => {
          const result = requestIdFor(requestWith(given));

          expect(result).toMatch(ACCEPTABLE_ID);
          if (ACCEPTABLE_ID.test(given)) expect(result).toBe(given);
          else expect(result).toMatch(UUID);
        },
      ),
    );
  });
});
