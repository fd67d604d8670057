import type { LoggerService } from '@nestjs/common';
import { installShutdownSignals } from './shutdown-signals';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

interface FakeLogger extends LoggerService {
  log: jest.Mock;
  warn: jest.Mock;
  error: jest.Mock;
}

function fakeLogger(): FakeLogger {
  return { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

/** A logger whose output is gone: every call throws, as a write to a closed pipe might. */
function throwingLogger(): FakeLogger {
  const fail = () => {
    throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
  };
  return { log: jest.fn(fail), warn: jest.fn(fail), error: jest.fn(fail) };
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// Node passes the signal name to its listeners; process.emit must do the same.

/** Lets promise callbacks (close().then / .catch) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('installShutdownSignals', () => {
  const listenersBefore = new Map<string, NodeJS.SignalsListener[]>();

  beforeEach(() => {
    for (const signal of SIGNALS) listenersBefore.set(signal, process.listeners(signal));
  });

  afterEach(() => {
    // Remove only the listeners the test added.
    for (const signal of SIGNALS) {
      const before = listenersBefore.get(signal) ?? [];
      for (const listener of process.listeners(signal)) {
        if (!before.includes(listener)) process.removeListener(signal, listener);
      }
    }
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('adds one listener for SIGTERM and one for SIGINT', () => {
    const before = SIGNALS.map((signal) => process.listenerCount(signal));

    installShutdownSignals({
      logger: fakeLogger(),
      graceMs: 1_000,
      close: () => Promise.resolve(),
      exit: jest.fn(),
    });

    expect(SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(before.map((count) => count + 1));
  });

  it.each(SIGNALS)('on %s closes once and then exits 0', async (signal) => {
    const logger = fakeLogger();
    const close = jest.fn(() => Promise.resolve());
    const exit = jest.fn();
    installShutdownSignals({ logger, graceMs: 1_000, close, exit });

    process.emit(signal, signal);
    await settle();

    expect(close).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(logger.log).toHaveBeenCalledWith(`${signal} received: shutting down (grace 1000 ms)`);
    expect(logger.log).toHaveBeenCalledWith('Shutdown complete');
  });

  it('waits for close before exiting', async () => {
    const closing = deferred();
    const exit = jest.fn();
    installShutdownSignals({ logger: fakeLogger(), graceMs: 1_000, close: () => closing.promise, exit });

    process.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(exit).not.toHaveBeenCalled();

    closing.resolve();
    await settle();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits 1 and logs the error when close fails', async () => {
    const logger = fakeLogger();
    const failure = new Error('pool did not drain');
    const exit = jest.fn();
    installShutdownSignals({ logger, graceMs: 1_000, close: () => Promise.reject(failure), exit });

    process.emit('SIGTERM', 'SIGTERM');
    await settle();

    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(logger.error).toHaveBeenCalledWith({ msg: 'Shutdown failed', err: failure });
  });

  it('exits 1 at once on a second signal without closing again', async () => {
    const logger = fakeLogger();
    const close = jest.fn(() => new Promise<void>(() => undefined));
    const exit = jest.fn();
    installShutdownSignals({ logger, graceMs: 1_000, close, exit });

    process.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(exit).not.toHaveBeenCalled();

    process.emit('SIGINT', 'SIGINT');

    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(close).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith('SIGINT received again: exiting now');
  });

  it('exits 1 when close outlives the grace period plus a 5 s margin', async () => {
    jest.useFakeTimers();
    const logger = fakeLogger();
    const exit = jest.fn();
    installShutdownSignals({ logger, graceMs: 1_000, close: () => new Promise<void>(() => undefined), exit });

    process.emit('SIGTERM', 'SIGTERM');
    await jest.advanceTimersByTimeAsync(5_999);
    expect(exit).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(1);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(logger.error).toHaveBeenCalledWith('Shutdown did not finish within 1000 ms; exiting');
  });

  it('exits through process.exit when no exit is given', async () => {
    const exitSpy = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    installShutdownSignals({ logger: fakeLogger(), graceMs: 1_000, close: () => Promise.resolve() });

    process.emit('SIGTERM', 'SIGTERM');
    await settle();

    expect(exitSpy).toHaveBeenCalledTimes(1);
    expect(exitSpy).toHaveBeenCalledWith(0);
  });

  describe('when logging throws', () => {
    it('still closes and exits 0', async () => {
      const logger = throwingLogger();
      const close = jest.fn(() => Promise.resolve());
      const exit = jest.fn();
      installShutdownSignals({ logger, graceMs: 1_000, close, exit });

      process.emit('SIGTERM', 'SIGTERM');
      await settle();

      expect(logger.log).toHaveBeenCalled();
      expect(close).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(0);
    });

    it('still exits 1 when close fails', async () => {
      const exit = jest.fn();
      installShutdownSignals({
        logger: throwingLogger(),
        graceMs: 1_000,
        close: () => Promise.reject(new Error('pool did not drain')),
        exit,
      });

      process.emit('SIGTERM', 'SIGTERM');
      await settle();

      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(1);
    });

    it('still exits 1 on a second signal', async () => {
      const exit = jest.fn();
      installShutdownSignals({
        logger: throwingLogger(),
        graceMs: 1_000,
        close: () => new Promise<void>(() => undefined),
        exit,
      });

      process.emit('SIGTERM', 'SIGTERM');
      await settle();
      process.emit('SIGTERM', 'SIGTERM');

      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(1);
    });

    it('still exits 1 after the grace period plus margin when close never settles', async () => {
      jest.useFakeTimers();
      const logger = throwingLogger();
      const exit = jest.fn();
      installShutdownSignals({ logger, graceMs: 50, close: () => new Promise<void>(() => undefined), exit });

      process.emit('SIGTERM', 'SIGTERM');
      await jest.advanceTimersByTimeAsync(5_049);
      expect(exit).not.toHaveBeenCalled();

      await jest.advanceTimersByTimeAsync(1);
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(1);
      expect(logger.error).toHaveBeenCalledWith('Shutdown did not finish within 50 ms; exiting');
    });
  });

  it('exits 1 when close throws instead of rejecting', async () => {
    const logger = fakeLogger();
    const failure = new Error('not started');
    const exit = jest.fn();
    installShutdownSignals({
      logger,
      graceMs: 1_000,
      close: () => {
        throw failure;
      },
      exit,
    });

    process.emit('SIGTERM', 'SIGTERM');
    await settle();

    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(logger.error).toHaveBeenCalledWith({ msg: 'Shutdown failed', err: failure });
  });

  it('arms the forced exit before it logs, and disarms it once close settled', async () => {
    jest.useFakeTimers();
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const logger = fakeLogger();
    const exit = jest.fn();
    installShutdownSignals({ logger, graceMs: 1_000, close: () => Promise.resolve(), exit });

    process.emit('SIGTERM', 'SIGTERM');
    await jest.advanceTimersByTimeAsync(10_000);

    expect(setTimeoutSpy.mock.invocationCallOrder[0]).toBeLessThan(logger.log.mock.invocationCallOrder[0]!);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
  });
});
