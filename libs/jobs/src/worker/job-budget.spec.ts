import { JobBudget } from './job-budget';

describe('JobBudget', () => {
  it('never hands out more slots than the limit, counting only committed leases', () => {
    const budget = new JobBudget(2);
    expect(budget.tryReserve()).toBe(true);
    expect(budget.tryReserve()).toBe(true);
    expect(budget.tryReserve()).toBe(false);
    budget.cancel();
    budget.commit();
    expect(budget.count).toBe(1);
    expect(budget.tryReserve()).toBe(true);
    budget.commit();
    expect(budget.exhausted).toBe(true);
    expect(budget.count).toBe(2);
  });

  it('is unbounded without a limit', () => {
    const budget = new JobBudget(null);
    for (let i = 0; i < 100; i += 1) expect(budget.tryReserve()).toBe(true);
    expect(budget.exhausted).toBe(false);
  });
});
