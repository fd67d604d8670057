import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { JobClock, JobHandler, TransitionBatcher } from '@nexus/jobs';
import type { BatchAnswers, JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { DeliveryNetworkError, DeliveryRefusedError } from '../delivery/errors';
import { postWebhook } from '../delivery/safe-request';
import { DELIVER_WEBHOOK_JOB } from '../jobs/subscription-job-types';
import type { DeliverWebhookPayload } from '../jobs/subscription-job-types';
import { classifyDeliveryAttempt } from '../retry/delivery-outcome';
import type { DeliveryAttemptResult } from '../retry/delivery-outcome';
import { messageFate } from '../retry/message-fate';
import { SubscriptionSecrets } from '../service/subscription-secrets';
import { SUBSCRIPTION_SETTINGS } from '../settings/subscription-settings';
import type { SubscriptionSettings } from '../settings/subscription-settings';
import { signWebhook } from '../signing/webhook-signature';
import { DeliveryMetrics } from './delivery-metrics';
import type { AttemptOutcome } from './delivery-metrics';
import { DeliveryRecorder } from './delivery-recorder';

interface MessageRow {
  id: string;
  zone_id: string;
  status: string;
  message_id: string;
  body: string;
  occurred_at: string | null;
  subscription_id: string;
  url: string | null;
  enabled: boolean | null;
  ordered: boolean | null;
  secret_sealed: Buffer | null;
  previous_secret_sealed: Buffer | null;
  previous_secret_expires_at: Date | null;
}

const LOAD_SQL = `
  SELECT d.id, d.zone_id, d.status, d.message_id, d.body, d.body::json->>'occurredAt' AS occurred_at, d.subscription_id,
         s.url, s.enabled, s.ordered, s.secret_sealed, s.previous_secret_sealed, s.previous_secret_expires_at
    FROM webhook_deliveries d LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id
   WHERE d.id = ANY($1::uuid[])`;

/** Most messages one load statement reads. */
const MAX_LOAD_BATCH = 128;

const USER_AGENT = 'Nexus-Webhooks/1';

/**
 * `subscriptions.deliver`: one attempt of one message. Signs the stored body under
 * the subscription's secret (and, during a rotation, the previous one) with this
 * attempt's timestamp, posts it through the SSRF-safe client, records how it went,
 * and tells the job system when to try again: the retry schedule's next delay
 * (lengthened by a Retry-After), or no retry once the message is given up.
 * Idempotent: a message no longer pending is left alone.
 */
@Injectable()
@JobHandler(DELIVER_WEBHOOK_JOB)
export class DeliverWebhookHandler implements JobHandlerContract<DeliverWebhookPayload>, OnModuleInit {
  private readonly logger = new Logger('WebhookDelivery');
  // Messages whose jobs start together are read by one statement.
  private readonly loads = new TransitionBatcher<{ id: string }, MessageRow | null>(
    (items) => this.loadMany(items.map((item) => item.id)),
    MAX_LOAD_BATCH,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SubscriptionSecrets,
    private readonly recorder: DeliveryRecorder,
    private readonly metrics: DeliveryMetrics,
    private readonly clock: JobClock,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
  ) {}

  onModuleInit(): void {
    if (!this.secrets.available) {
      this.logger.warn(
        'NEXUS_ENCRYPTION_KEY is not set: this worker cannot open webhook secrets, so deliveries fail until it runs with the API’s key',
      );
    }
  }

  async handle(payload: DeliverWebhookPayload, context: JobContext): Promise<JobOutcome> {
    const loaded = await this.loads.submit({ id: payload.deliveryId });
    // Another zone's message is none of this job's business (a job runs in its own zone).
    const message = loaded?.zone_id === context.zoneId ? loaded : null;
    if (!message || message.status !== 'pending') {
      return { status: 'succeeded', result: { skipped: message ? `message is ${message.status}` : 'message gone' } };
    }
    if (!message.url || !message.enabled || !message.secret_sealed) {
      const reason = message.url ? 'subscription disabled' : 'subscription deleted';
      await this.recorder.skip(payload.deliveryId, context.zoneId, reason);
      this.metrics.observe('skipped', 0);
      return { status: 'succeeded', result: { skipped: reason } };
    }
    const sentAt = this.clock.now();
    const started = performance.now();
    const result = await this.attempt(message, sentAt);
    const latencyMs = performance.now() - started;
    const outcome = classifyDeliveryAttempt(result, sentAt);
    const at = this.clock.now();
    const fate = messageFate(outcome, context.attempt, at, this.settings.retrySchedule);
    const error = outcome.kind === 'success' ? null : outcome.reason;
    const recorded = await this.recorder.record(
      {
        deliveryId: payload.deliveryId,
        zoneId: context.zoneId,
        ordered: message.ordered === true,
        at,
        responseStatus: result.kind === 'response' ? result.status : null,
        latencyMs,
        error,
      },
      fate,
    );
    const label: AttemptOutcome = result.kind === 'refused' ? 'refused' : fate.kind;
    this.metrics.observe(label, latencyMs / 1000);
    if (fate.kind === 'succeeded' && message.occurred_at) {
      this.metrics.observeDelivered((at.getTime() - Date.parse(message.occurred_at)) / 1000);
    }
    if (!recorded) return { status: 'succeeded', result: { skipped: 'recorded by another run' } };
    if (fate.kind === 'succeeded') return { status: 'succeeded', result: { responseStatus: result.kind === 'response' ? result.status : null } };
    if (fate.kind === 'retrying') {
      return { status: 'failed', error: error ?? 'failed', retryInMs: fate.nextAttemptAt.getTime() - at.getTime() };
    }
    this.logger.log(`Message ${message.message_id} of subscription ${message.subscription_id} given up: ${error}`);
    return { status: 'failed', error: error ?? 'failed', retry: false };
  }

  private async loadMany(ids: readonly string[]): Promise<BatchAnswers<MessageRow | null>> {
    const rows = await this.dataSource.query<MessageRow[]>(LOAD_SQL, [ids]);
    const answers: BatchAnswers<MessageRow | null> = new Map(ids.map((id) => [id, null]));
    for (const row of rows) answers.set(row.id, row);
    return answers;
  }

  /** One POST; a refusal by the address policy counts as a failed attempt (DNS may change back). */
  private async attempt(message: MessageRow, sentAt: Date): Promise<DeliveryAttemptResult> {
    try {
      const response = await postWebhook({
        url: message.url as string,
        body: message.body,
        headers: {
          ...signWebhook({
            messageId: message.message_id,
            timestamp: sentAt,
            body: message.body,
            secrets: this.signingSecrets(message, sentAt),
          }),
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
        },
        timeoutMs: this.settings.timeoutMs,
        allowList: this.settings.allowList,
        allowHttp: this.settings.allowHttp,
      });
      return { kind: 'response', status: response.status, headers: response.headers };
    } catch (error) {
      if (error instanceof DeliveryRefusedError) return { kind: 'refused', message: error.message };
      if (error instanceof DeliveryNetworkError) {
        return error.reason === 'timeout' ? { kind: 'timeout' } : { kind: 'network_error', message: error.message };
      }
      throw error;
    }
  }

  /** The current secret, then the previous one while its rotation window lasts. */
  private signingSecrets(message: MessageRow, now: Date): string[] {
    const id = message.subscription_id;
    const secrets = [this.secrets.open(id, message.secret_sealed as Buffer)];
    const expires = message.previous_secret_expires_at;
    if (message.previous_secret_sealed && expires && expires.getTime() > now.getTime()) {
      secrets.push(this.secrets.open(id, message.previous_secret_sealed, 'previous_secret'));
    }
    return secrets;
  }

}
