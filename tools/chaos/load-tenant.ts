/**
 * The load check's tenant workload: what one new tenant does (zone, user, admin key,
 * permission model, tuples, fully consistent checks with known answers), each
 * request timed and counted in Stats. Used by tools/chaos/embedded-load.ts.
 */

export const REQUEST_TIMEOUT_MS = 30_000;

/** A folder tree with groups: documents inherit viewer/editor/owner from their folder, folders from theirs. */
const MODEL_DSL = `model
  schema 1.1

type user

type group
  relations
    define member: [user, group#member]

type folder
  relations
    define parent: [folder]
    define owner: [user, group#member] or owner from parent
    define editor: [user, group#member] or owner or editor from parent
    define viewer: [user, group#member] or editor or viewer from parent

type document
  relations
    define parent: [folder]
    define owner: [user, group#member] or owner from parent
    define editor: [user, group#member] or owner or editor from parent
    define viewer: [user, group#member] or editor or viewer from parent
`;

interface Subject {
  type: string;
  id: string;
  relation?: string;
}

interface Tuple {
  object: { type: string; id: string };
  relation: string;
  subject: Subject;
}

interface CheckCase extends Tuple {
  expected: boolean;
}

function parseRef(text: string): { type: string; id: string; relation?: string } {
  const [object, relation] = text.split('#');
  const [type, id] = (object ?? '').split(':');
  return { type: type ?? '', id: id ?? '', ...(relation ? { relation } : {}) };
}

/** `folder:projects#viewer@group:staff#member` → a tuple. */
function tuple(text: string): Tuple {
  const [left, right] = text.split('@');
  const { type, id, relation } = parseRef(left ?? '');
  return { object: { type, id }, relation: relation ?? '', subject: parseRef(right ?? '') };
}

const check = (text: string, expected: boolean): CheckCase => ({ ...tuple(text), expected });

// staff ⊃ eng ⊃ {alice, bob}; carol is staff only. root (owned by olivia) holds projects
// (viewable by staff) and secret (editable by eng); plan is in projects, notes in secret.
const TUPLES: readonly Tuple[] = [
  'group:eng#member@user:alice',
  'group:eng#member@user:bob',
  'group:staff#member@group:eng#member',
  'group:staff#member@user:carol',
  'folder:root#owner@user:olivia',
  'folder:projects#parent@folder:root',
  'folder:projects#viewer@group:staff#member',
  'folder:secret#parent@folder:root',
  'folder:secret#editor@group:eng#member',
  'document:plan#parent@folder:projects',
  'document:plan#editor@user:dave',
  'document:notes#parent@folder:secret',
  'document:notes#viewer@user:erin',
  'document:lone#owner@user:frank',
].map(tuple);

const CHECKS: readonly CheckCase[] = [
  check('document:plan#viewer@user:alice', true), // eng ⊂ staff, staff views projects, plan inherits
  check('document:plan#viewer@user:carol', true),
  check('document:plan#editor@user:alice', false),
  check('document:plan#editor@user:dave', true),
  check('document:plan#viewer@user:dave', true), // editor implies viewer
  check('document:plan#owner@user:olivia', true), // owner from parent from parent
  check('document:plan#owner@user:dave', false),
  check('document:plan#viewer@user:mallory', false),
  check('document:notes#editor@user:bob', true), // eng edits secret
  check('document:notes#viewer@user:alice', true),
  check('document:notes#viewer@user:carol', false), // staff is not on secret
  check('document:notes#viewer@user:erin', true),
  check('document:notes#editor@user:erin', false),
  check('document:notes#viewer@user:olivia', true),
  check('document:lone#viewer@user:frank', true),
  check('document:lone#viewer@user:olivia', false), // no parent
  check('folder:projects#viewer@user:bob', true),
  check('folder:projects#editor@user:bob', false),
  check('folder:root#viewer@user:alice', false),
  check('folder:secret#owner@user:olivia', true),
  check('group:staff#member@user:alice', true),
  check('group:eng#member@user:carol', false),
];

export interface Stats {
  tenants: number;
  checks: number;
  wrong: number;
  errors5xx: number;
  other: number;
  slowestMs: number;
  slowestRequest: string;
  /** The first few problems, for the failure report. */
  problems: string[];
}

export const newStats = (): Stats => ({
  tenants: 0,
  checks: 0,
  wrong: 0,
  errors5xx: 0,
  other: 0,
  slowestMs: 0,
  slowestRequest: '',
  problems: [],
});

export function note(stats: Stats, problem: string): void {
  if (stats.problems.length < 10) stats.problems.push(problem);
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** One HTTP call, timed and counted; the parsed body when the status is the expected one. */
async function call<T>(
  stats: Stats,
  base: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
  expectedStatus: number,
  headers: Record<string, string> = {},
): Promise<T | undefined> {
  const what = `${method} ${path}`;
  const started = performance.now();
  const elapsed = () => {
    const ms = performance.now() - started;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestRequest = what;
    }
    return ms;
  };
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const ms = elapsed();
    stats.other++;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    note(
      stats,
      `${what}: ${timedOut ? `no answer within ${REQUEST_TIMEOUT_MS} ms` : errorText(error)} (${ms.toFixed(0)} ms)`,
    );
    return undefined;
  }
  elapsed();
  if (status !== expectedStatus) {
    if (status >= 500) stats.errors5xx++;
    else stats.other++;
    note(stats, `${what}: ${status} (expected ${expectedStatus}) ${text.slice(0, 300)}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    stats.other++;
    note(stats, `${what}: ${status} with a body that is not JSON: ${text.slice(0, 300)}`);
    return undefined;
  }
}

export interface Client {
  base: string;
  superuserKey: string;
  stats: Stats;
  runId: string;
  index: number;
  /** The user of this client's previous tenant: another zone's, so never allowed here. */
  previousUserId?: string;
}

/** One tenant from scratch; true when every step answered as expected. */
export async function runTenant(client: Client, serial: number): Promise<boolean> {
  const { base, superuserKey, stats } = client;
  const name = `load-${client.runId}-${client.index}-${serial}`;
  const zone = await call<{ id: string }>(stats, base, 'POST', '/api/v1/zones', superuserKey, { name }, 201);
  if (!zone) return false;
  const inZone = { 'x-nexus-zone-id': zone.id };
  const user = await call<{ id: string; zoneId: string }>(
    stats,
    base,
    'POST',
    '/api/v1/users',
    superuserKey,
    { email: `owner@${name}.example.com`, displayName: `Owner of ${name}` },
    201,
    inZone,
  );
  if (!user) return false;
  const key = await call<{ key: string; zoneId: string }>(
    stats,
    base,
    'POST',
    '/api/v1/auth/keys',
    superuserKey,
    { name: `${name} admin`, subjectType: 'user', subjectId: user.id, role: 'admin' },
    201,
    inZone,
  );
  if (!key) return false;
  if (user.zoneId !== zone.id || key.zoneId !== zone.id) {
    stats.wrong++;
    note(
      stats,
      `tenant ${name}: user in zone ${user.zoneId}, key in zone ${key.zoneId}, expected ${zone.id}`,
    );
    return false;
  }
  const tenantKey = key.key;
  if (!(await call(stats, base, 'PUT', '/api/v1/rebac/model', tenantKey, { dsl: MODEL_DSL }, 200)))
    return false;
  const own = `document:plan#viewer@user:${user.id}`;
  if (
    !(await call(
      stats,
      base,
      'POST',
      '/api/v1/rebac/tuples',
      tenantKey,
      { writes: [...TUPLES, tuple(own)] },
      200,
    ))
  )
    return false;

  const cases = [...CHECKS, check(own, true), check(`document:notes#viewer@user:${user.id}`, false)];
  if (client.previousUserId) cases.push(check(`document:plan#viewer@user:${client.previousUserId}`, false));
  client.previousUserId = user.id;
  let complete = true;
  for (const { expected, ...question } of cases) {
    const answer = await call<{ allowed?: unknown }>(
      stats,
      base,
      'POST',
      '/api/v1/rebac/check',
      tenantKey,
      { ...question, consistency: { mode: 'fully_consistent' } },
      200,
    );
    if (!answer) {
      complete = false;
      continue;
    }
    stats.checks++;
    if (answer.allowed !== expected) {
      stats.wrong++;
      complete = false;
      const { object, relation, subject } = question;
      note(
        stats,
        `tenant ${name}: ${object.type}:${object.id}#${relation}@${subject.type}:${subject.id}` +
          `${subject.relation ? `#${subject.relation}` : ''} answered ${JSON.stringify(answer.allowed)}, expected ${expected}`,
      );
    }
  }
  return complete;
}
