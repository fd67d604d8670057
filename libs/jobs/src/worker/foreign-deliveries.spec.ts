import type { LoggerService } from '@nestjs/common';
import { ForeignDeliveries } from './foreign-deliveries';

describe('ForeignDeliveries', () => {
  it('warns once per minute, naming the queue and how many deliveries it left', () => {
    const warnings: string[] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (m: unknown) => warnings.push(String(m)) };
    let now = 1_000_000;
    const foreign = new ForeignDeliveries('shared-queue', logger, () => now);
    foreign.record();
    for (let i = 0; i < 9; i += 1) foreign.record();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Queue shared-queue: 1 delivery\(ies\) for jobs this database does not have/);
    now += 60_000;
    foreign.record();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^Queue shared-queue: 10 delivery\(ies\)/);
  });
});
