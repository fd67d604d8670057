import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysController } from './api/api-keys.controller';
import { TokensController } from './api/tokens.controller';
import { UsersController } from './api/users.controller';
import { VaultController } from './api/vault.controller';
import { ZonesController } from './api/zones.controller';
import { AuthAudit } from './audit/auth-audit';
import { AUTH_MODULE_OPTIONS, AuthBootstrap } from './bootstrap/auth-bootstrap';
import type { AuthModuleOptions } from './bootstrap/auth-bootstrap';
import { AuthGuard } from './guard/auth.guard';
import { Authenticator } from './guard/authenticator';
import { ApiKeysService } from './keys/api-keys.service';
import { KeyDirectory } from './keys/key-directory';
import { RateLimitPolicy } from './rate-limit/rate-limit.policy';
import { RateLimiter } from './rate-limit/rate-limiter';
import { TokenService } from './tokens/token.service';
import { UsersService } from './users/users.service';
import { CredentialCipher } from './vault/credential-cipher';
import { VaultService } from './vault/vault.service';
import { ZonesService } from './zones/zones.service';

/**
 * Zones, users, API keys, tokens, the credential vault, rate limits, and the
 * global guard that authenticates every HTTP route not marked @Public().
 * Needs ConfigModule (ApiConfig), DatabaseModule and RedisModule from the app.
 * Global, so other domains' long-lived responses can re-check a credential (Authenticator).
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      controllers: [TokensController, ApiKeysController, ZonesController, UsersController, VaultController],
      providers: [
        { provide: AUTH_MODULE_OPTIONS, useValue: options },
        { provide: APP_GUARD, useClass: AuthGuard },
        AuthAudit,
        AuthBootstrap,
        Authenticator,
        ApiKeysService,
        CredentialCipher,
        KeyDirectory,
        RateLimiter,
        RateLimitPolicy,
        TokenService,
        UsersService,
        VaultService,
        ZonesService,
      ],
      exports: [Authenticator, ZonesService, UsersService, ApiKeysService, AuthBootstrap, CredentialCipher],
    };
  }
}
