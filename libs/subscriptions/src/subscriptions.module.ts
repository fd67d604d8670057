import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { CredentialCipher } from '@nexus/auth';
import { DeliveriesController } from './api/deliveries.controller';
import { SubscriptionsController } from './api/subscriptions.controller';
import { DeliveryRetentionSchedule } from './retention/delivery-retention.schedule';
import { PruneDeliveriesHandler } from './retention/prune-deliveries.handler';
import { DeliveriesService } from './service/deliveries.service';
import { SubscriptionSecrets } from './service/subscription-secrets';
import { SubscriptionsService } from './service/subscriptions.service';
import { subscriptionSettingsProvider } from './settings/subscription-settings';
import { DeliverWebhookHandler } from './worker/deliver-webhook.handler';
import { DeliveryConsumer } from './worker/delivery-consumer';
import { DeliveryMetrics } from './worker/delivery-metrics';
import { DeliveryRecorder } from './worker/delivery-recorder';

/**
 * The subscriptions domain. The API side manages subscriptions and their sealed
 * secrets (CredentialCipher from the global AuthModule) and shows deliveries; the
 * worker side turns events into messages (the `subscriptions.deliver` consumer)
 * and delivers them (the `subscriptions.deliver` job), opening secrets with its
 * own CredentialCipher (the worker mounts no AuthModule).
 */
@Module({})
export class SubscriptionsModule {
  static forApi(): DynamicModule {
    return {
      module: SubscriptionsModule,
      controllers: [SubscriptionsController, DeliveriesController],
      providers: [subscriptionSettingsProvider, SubscriptionSecrets, SubscriptionsService, DeliveriesService],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: SubscriptionsModule,
      providers: [
        subscriptionSettingsProvider,
        CredentialCipher,
        SubscriptionSecrets,
        DeliveryMetrics,
        DeliveryRecorder,
        DeliveryConsumer,
        DeliverWebhookHandler,
        PruneDeliveriesHandler,
        DeliveryRetentionSchedule,
      ],
    };
  }
}
