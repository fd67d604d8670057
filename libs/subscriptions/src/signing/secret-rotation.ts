export const ROTATION_HOURS_VARIABLE = 'NEXUS_WEBHOOK_ROTATION_HOURS';
export const DEFAULT_ROTATION_HOURS = 24;
// A month of double-signing is already far past any sane receiver rollout.
const MAX_ROTATION_HOURS = 24 * 30;

/** NEXUS_WEBHOOK_ROTATION_HOURS: unset/blank → 24; 0 drops the old secret at once. */
export function parseRotationHours(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_ROTATION_HOURS;
  const hours = Number(value.trim());
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || hours > MAX_ROTATION_HOURS) {
    throw new Error(
      `${ROTATION_HOURS_VARIABLE}: "${value}" is not a number of hours between 0 and ${MAX_ROTATION_HOURS}`,
    );
  }
  return hours;
}

/** When a secret replaced at `rotatedAt` stops being signed with. */
export function previousSecretExpiry(rotatedAt: Date, rotationHours: number): Date {
  return new Date(rotatedAt.getTime() + rotationHours * 3_600_000);
}

export interface SigningSecretsInput {
  current: string;
  /** The secret replaced by the last rotation, with its expiry (previousSecretExpiry). */
  previous?: { secret: string; expiresAt: Date } | null;
  now: Date;
}

/** The secrets to sign an attempt with, newest first (signWebhook's order). */
export function activeSigningSecrets({ current, previous, now }: SigningSecretsInput): string[] {
  if (previous && now.getTime() < previous.expiresAt.getTime() && previous.secret !== current) {
    return [current, previous.secret];
  }
  return [current];
}
