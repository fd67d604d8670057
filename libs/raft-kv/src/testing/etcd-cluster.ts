import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@nexus/core/testing';
import { Etcd3 } from 'etcd3';

/**
 * Real etcd members for tests: each cluster gets free loopback ports and its own
 * temporary data directories, and `stop()` kills every member and removes them.
 * Tests call `stop()` in afterAll; a process-exit hook kills stragglers if a test
 * worker dies first. Needs `etcd` on PATH (tools/ci/ensure-services.sh installs it).
 */
export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  /** Whether the member's process is still running. */
  alive(): boolean;
  /** The last few kilobytes of the member's log. */
  output(): string;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** Client URLs of every member, for NEXUS_ETCD_ENDPOINTS. */
  readonly endpoints: string[];
  /** Sends `signal` (default SIGKILL) to one member and waits for it to exit. */
  kill(member: EtcdMember, signal?: NodeJS.Signals): Promise<void>;
  /** The member that currently leads, as the live members report it. */
  findLeader(): Promise<EtcdMember | undefined>;
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  size?: number;
  /** How long to wait for every member to answer /health. */
  startTimeoutMs?: number;
}

const OUTPUT_LIMIT = 16_384;
const ERROR_TAIL = 2_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

interface RunningMember extends EtcdMember {
  child: ChildProcess;
  exited: Promise<void>;
}

interface MemberSpec {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
}

function launch(spec: MemberSpec, initialCluster: string, token: string): RunningMember {
  const { name, clientUrl, peerUrl, dataDir } = spec;
  const args = [
    `--name=${name}`,
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=${token}`,
    '--logger=zap',
    '--log-level=warn',
  ];
  const child = spawn('etcd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      output += `\nspawn failed: ${error.message}`;
      running.delete(child);
      resolve();
    });
  });
  return {
    name,
    clientUrl,
    peerUrl,
    dataDir,
    child,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null && running.has(child),
    output: () => output,
  };
}

async function healthy(member: RunningMember): Promise<boolean> {
  try {
    const response = await fetch(`${member.clientUrl}/health`, { signal: AbortSignal.timeout(1_000) });
    const body = (await response.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}

async function waitHealthy(members: RunningMember[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = members.find((member) => !member.alive());
    if (dead)
      throw new Error(`etcd member ${dead.name} exited during start:\n${dead.output().slice(-ERROR_TAIL)}`);
    const states = await Promise.all(members.map(healthy));
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) {
      const logs = members
        .map((member) => `--- ${member.name}\n${member.output().slice(-ERROR_TAIL)}`)
        .join('\n');
      throw new Error(`etcd cluster not healthy after ${timeoutMs} ms\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopMember(member: RunningMember, signal: NodeJS.Signals): Promise<void> {
  if (member.alive()) member.child.kill(signal);
  const timer = setTimeout(() => member.child.kill('SIGKILL'), 5_000);
  await member.exited;
  clearTimeout(timer);
}

/** Starts `size` (default 1) etcd members on loopback and waits until all are healthy. */
export async function startEtcdCluster(options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  installExitHook();
  const size = options.size ?? 1;
  const root = mkdtempSync(join(tmpdir(), 'nexus-etcd-'));
  const specs: MemberSpec[] = [];
  for (let i = 0; i < size; i++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    specs.push({
      name: `m${i}`,
      clientUrl: `http://127.0.0.1:${clientPort}`,
      peerUrl: `http://127.0.0.1:${peerPort}`,
      dataDir: join(root, `m${i}`),
    });
  }
  const initialCluster = specs.map((spec) => `${spec.name}=${spec.peerUrl}`).join(',');
  const token = `nexus-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  const members = specs.map((spec) => launch(spec, initialCluster, token));

  const stop = async () => {
    await Promise.all(members.map((member) => stopMember(member, 'SIGTERM')));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitHealthy(members, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    members,
    endpoints: members.map((member) => member.clientUrl),
    kill: (member, signal = 'SIGKILL') => stopMember(member as RunningMember, signal),
    async findLeader() {
      for (const member of members.filter((m) => m.alive())) {
        const client = new Etcd3({ hosts: member.clientUrl, dialTimeout: 1_000 });
        try {
          const status = await client.maintenance.status({ deadline: Date.now() + 1_000 });
          const leader = status.leader;
          if (leader === '0') continue;
          for (const candidate of members.filter((m) => m.alive())) {
            const probe = new Etcd3({ hosts: candidate.clientUrl, dialTimeout: 1_000 });
            try {
              const own = await probe.maintenance.status({ deadline: Date.now() + 1_000 });
              if (own.header.member_id === leader) return candidate;
            } catch {
              // that member does not answer: it is not the leader we can reach
            } finally {
              probe.close();
            }
          }
        } catch {
          // try the next member
        } finally {
          client.close();
        }
      }
      return undefined;
    },
    stop,
  };
}
