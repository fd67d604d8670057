import type { CheckResolver, ZoneCheck } from '../src/check/check-resolver';
import type { CheckInput } from '../src/engine/rebac-engine';
import { RebacEngine } from '../src/engine/rebac-engine';
import type { TupleLoader } from '../src/engine/tuple-loader';
import type { ResolvedZone } from '../src/zone/zone-resolver';
import { DOCS_MODEL, memoryEngine, model } from './engine-fixtures';

export const ZONE = '00000000-0000-4000-8000-000000000001';
export const OTHER_ZONE = '00000000-0000-4000-8000-000000000002';

const DOCS = model(DOCS_MODEL);

/** A zone (DOCS_MODEL) at a given state, its engine over `loader` or over `tuples` in memory. */
export function zoneAt(
  state: { zoneId?: string; revision?: bigint; modelVersion?: number; useCache?: boolean } = {},
  source: { tuples?: string[]; loader?: TupleLoader } = {},
): ResolvedZone {
  const engine = source.loader
    ? new RebacEngine(DOCS, source.loader)
    : memoryEngine(DOCS, source.tuples ?? []).engine;
  return {
    state: {
      zoneId: state.zoneId ?? ZONE,
      revision: state.revision ?? 1n,
      modelVersion: state.modelVersion ?? 1,
      model: DOCS,
      readAt: 0,
    },
    useCache: state.useCache ?? true,
    engine,
  };
}

/** `document:<id>#<relation>@user:<user>` as a check input. */
export function ask(
  document: string,
  relation: string,
  user: string,
  extra: Partial<CheckInput> = {},
): CheckInput {
  return {
    object: { type: 'document', id: document },
    relation,
    subject: { type: 'user', id: user },
    ...extra,
  };
}

/** The next stage, recording what reaches it; answers with `answer` (default: allowed). */
export class RecordingResolver implements CheckResolver {
  readonly received: ZoneCheck[] = [];

  constructor(private readonly answer: (request: ZoneCheck) => Promise<boolean> = async () => true) {}

  check(request: ZoneCheck): Promise<boolean> {
    this.received.push(request);
    return this.answer(request);
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await Promise.allSettled([promise]);
  const [settled] = outcome;
  if (settled?.status !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(settled)}`);
  return settled.reason;
}
