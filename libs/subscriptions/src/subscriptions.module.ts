import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { SubscriptionsController } from './api/subscriptions.controller';
import { SubscriptionSecrets } from './service/subscription-secrets';
import { SubscriptionsService } from './service/subscriptions.service';
import { subscriptionSettingsProvider } from './settings/subscription-settings';

/**
 * The subscriptions domain. The API side manages subscriptions and their sealed
 * secrets (CredentialCipher from the global AuthModule); deliveries come later.
 */
@Module({})
export class SubscriptionsModule {
  static forApi(): DynamicModule {
    return {
      module: SubscriptionsModule,
      controllers: [SubscriptionsController],
      providers: [subscriptionSettingsProvider, SubscriptionSecrets, SubscriptionsService],
    };
  }
}
