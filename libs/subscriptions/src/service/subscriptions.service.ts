import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DOMAINS, decodeCursor, encodeCursor, isUuid } from '@nexus/core';
import type { ComposedDomains, Page, Principal } from '@nexus/core';
import { AuditLogWriter } from '@nexus/storage-models';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { WebhookSubscription } from '../entities/webhook-subscription.entity';
import { SUBSCRIPTION_SETTINGS } from '../settings/subscription-settings';
import type { SubscriptionSettings } from '../settings/subscription-settings';
import { generateWebhookSecret } from '../signing/webhook-secret';
import { previousSecretExpiry } from '../signing/secret-rotation';
import { subscriptionNotFound } from '../subscriptions.errors';
import { checkedEventTypes, checkedPatterns, checkedUrl } from './subscription-rules';
import { SubscriptionSecrets } from './subscription-secrets';

/** What a caller may set on a subscription (create: url, eventTypes and patterns given). */
export interface SubscriptionInput {
  url?: string;
  eventTypes?: string[];
  patterns?: string[];
  name?: string | null;
  description?: string | null;
  enabled?: boolean;
  ordered?: boolean;
}

export type NewSubscription = SubscriptionInput &
  Required<Pick<SubscriptionInput, 'url' | 'eventTypes' | 'patterns'>>;

export interface CreatedSubscription {
  subscription: WebhookSubscription;
  /** Shown once, in the create response. */
  secret: string;
}

export interface RotatedSecret {
  secret: string;
  previousSecretExpiresAt: Date;
}

// A forged cursor must be a 400, not a PostgreSQL cast error (500).
const isPosition = (value: unknown): value is { id: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { id?: unknown }).id === 'string' &&
  isUuid((value as { id: string }).id);

/**
 * A zone's webhook subscriptions. Another zone's subscription is "not found". Each
 * change and its audit entry commit in one transaction; audit details never hold a
 * secret (nor does anything logged).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SubscriptionSecrets,
    private readonly audit: AuditLogWriter,
    @Inject(DOMAINS) private readonly domains: ComposedDomains,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
  ) {}

  async create(principal: Principal, input: NewSubscription): Promise<CreatedSubscription> {
    const checked = this.checked(input);
    const id = randomUUID();
    const secret = generateWebhookSecret();
    // Sealed before the transaction: without NEXUS_ENCRYPTION_KEY this is the 503, and nothing was written.
    const secretSealed = this.secrets.seal(id, secret);
    const subscription = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(WebhookSubscription, {
          id,
          zoneId: principal.zoneId,
          url: checked.url,
          eventTypes: checked.eventTypes,
          patterns: checked.patterns,
          name: input.name ?? null,
          description: input.description ?? null,
          enabled: input.enabled ?? true,
          ordered: input.ordered ?? false,
          secretSealed,
          previousSecretSealed: null,
          previousSecretExpiresAt: null,
          createdBy: `${principal.subjectType}:${principal.subjectId}`,
        }),
      );
      await this.record(manager, 'subscription_created', saved);
      return saved;
    });
    return { subscription, secret };
  }

  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<WebhookSubscription>> {
    const query = this.dataSource
      .getRepository(WebhookSubscription)
      .createQueryBuilder('subscription')
      .where('subscription.zoneId = :zoneId', { zoneId: principal.zoneId })
      .orderBy('subscription.id', 'ASC')
      .take(limit + 1);
    if (cursor) query.andWhere('subscription.id > :after', { after: decodeCursor(cursor, isPosition).id });
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null,
    };
  }

  get(principal: Principal, id: string): Promise<WebhookSubscription> {
    return this.find(this.dataSource.manager, principal, id);
  }

  async update(principal: Principal, id: string, input: SubscriptionInput): Promise<WebhookSubscription> {
    const checked = this.checked(input);
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.find(manager, principal, id, true);
      if (checked.url !== undefined) subscription.url = checked.url;
      if (checked.eventTypes !== undefined) subscription.eventTypes = checked.eventTypes;
      if (checked.patterns !== undefined) subscription.patterns = checked.patterns;
      if (input.name !== undefined) subscription.name = input.name;
      if (input.description !== undefined) subscription.description = input.description;
      if (input.enabled === true && !subscription.enabled) {
        // Enabled again: a fresh start for the failure limits.
        subscription.disabledReason = null;
        subscription.consecutiveFailures = 0;
        subscription.failingSince = null;
      }
      if (input.enabled !== undefined) subscription.enabled = input.enabled;
      if (input.ordered !== undefined) subscription.ordered = input.ordered;
      const saved = await manager.save(subscription);
      await this.record(manager, 'subscription_updated', saved, { fields: Object.keys(input).sort() });
      return saved;
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const subscription = await this.find(manager, principal, id, true);
      await manager.delete(WebhookDelivery, { subscriptionId: subscription.id });
      await manager.delete(WebhookSubscription, { id: subscription.id });
      await this.record(manager, 'subscription_deleted', subscription);
    });
  }

  /** A new secret; the current one keeps signing (sealed as the previous) for NEXUS_WEBHOOK_ROTATION_HOURS. */
  async rotateSecret(principal: Principal, id: string): Promise<RotatedSecret> {
    const secret = generateWebhookSecret();
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.find(manager, principal, id, true);
      const current = this.secrets.open(id, subscription.secretSealed);
      const previousSecretExpiresAt = previousSecretExpiry(new Date(), this.settings.rotationHours);
      subscription.secretSealed = this.secrets.seal(id, secret);
      subscription.previousSecretSealed = this.secrets.seal(id, current, 'previous_secret');
      subscription.previousSecretExpiresAt = previousSecretExpiresAt;
      const saved = await manager.save(subscription);
      await this.record(manager, 'subscription_secret_rotated', saved, {
        previousSecretExpiresAt: previousSecretExpiresAt.toISOString(),
      });
      return { secret, previousSecretExpiresAt };
    });
  }

  private checked(input: SubscriptionInput) {
    return {
      url: input.url === undefined ? undefined : checkedUrl(input.url, this.settings),
      eventTypes:
        input.eventTypes === undefined
          ? undefined
          : checkedEventTypes(input.eventTypes, this.domains.eventTypes),
      patterns: input.patterns === undefined ? undefined : checkedPatterns(input.patterns),
    };
  }

  private async find(
    manager: EntityManager,
    principal: Principal,
    id: string,
    forUpdate = false,
  ): Promise<WebhookSubscription> {
    const subscription = await manager.findOne(WebhookSubscription, {
      where: { id, zoneId: principal.zoneId },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!subscription) throw subscriptionNotFound(id);
    return subscription;
  }

  /** The audit entry commits with the change; its details name the URL's origin (a path or query may hold a token), never a secret. */
  private async record(
    manager: EntityManager,
    action: string,
    subscription: WebhookSubscription,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.write(
      {
        action,
        outcome: 'success',
        zoneId: subscription.zoneId,
        resource: { type: 'webhook_subscription', id: subscription.id },
        details: { origin: new URL(subscription.url).origin, ...details },
      },
      manager,
    );
  }
}
