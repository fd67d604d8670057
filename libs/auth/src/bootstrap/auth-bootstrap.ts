import type { OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiConfig } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { API_KEY_PATTERN, displayPrefix, generateApiKey, hashApiKey } from '../keys/api-key-format';
import { ApiKey } from '../entities/api-key.entity';
import { ZonesService } from '../zones/zones.service';

export const AUTH_MODULE_OPTIONS = Symbol('nexus:auth:options');

export interface AuthModuleOptions {
  /** Create the default zone and the superuser key at start (the API does; tests may not). */
  bootstrap: boolean;
}

export const DEFAULT_ZONE = 'default';
// Serialises bootstrap across API processes starting together.
const BOOTSTRAP_LOCK_KEY = 727_246_012;

/**
 * First start: zone `default` and a superuser admin key, printed once. With
 * NEXUS_ADMIN_KEY that key is registered instead (and re-enabled if it was
 * revoked). Idempotent: later starts create nothing.
 */
@Injectable()
export class AuthBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuthBootstrap');

  constructor(
    private readonly dataSource: DataSource,
    private readonly zones: ZonesService,
    private readonly config: ApiConfig,
    @Inject(AUTH_MODULE_OPTIONS) private readonly options: AuthModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.bootstrap) await this.run();
  }

  async run(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      await this.zones.ensure(DEFAULT_ZONE, manager);
      const configured = this.config.NEXUS_ADMIN_KEY;
      if (configured) await this.registerConfiguredKey(manager, configured);
      else await this.generateKeyOnce(manager);
    });
  }

  private async registerConfiguredKey(manager: EntityManager, rawKey: string): Promise<void> {
    const keys = manager.getRepository(ApiKey);
    const existing = await keys.findOne({ where: { keyHash: hashApiKey(rawKey) } });
    if (existing) {
      if (existing.revokedAt || !existing.superuser) {
        await keys.update(
          { id: existing.id },
          { revokedAt: null, superuser: true, bootstrap: true, role: 'admin' },
        );
        this.logger.warn(
          `Bootstrap key ${existing.keyPrefix} re-enabled as superuser because NEXUS_ADMIN_KEY names it`,
        );
      }
      return;
    }
    const zoneSlug = API_KEY_PATTERN.exec(rawKey)?.[1] ?? DEFAULT_ZONE;
    const zone = await this.zones.ensure(zoneSlug, manager);
    await keys.save(this.bootstrapKey(zone.id, rawKey));
    this.logger.log(
      `Registered NEXUS_ADMIN_KEY (${displayPrefix(rawKey)}) as the superuser key of zone ${zoneSlug}`,
    );
  }

  private async generateKeyOnce(manager: EntityManager): Promise<void> {
    const zone = await this.zones.ensure(DEFAULT_ZONE, manager);
    if (await manager.getRepository(ApiKey).exists({ where: { bootstrap: true } })) return;
    const rawKey = generateApiKey(zone.name);
    await manager.getRepository(ApiKey).save(this.bootstrapKey(zone.id, rawKey));
    // The one time a secret is written to the log, as the operator needs it to get in.
    this.logger.warn(`Bootstrap superuser key created (shown once, store it now): ${rawKey}`);
  }

  private bootstrapKey(zoneId: string, rawKey: string): Partial<ApiKey> {
    return {
      zoneId,
      name: 'bootstrap superuser',
      keyHash: hashApiKey(rawKey),
      keyPrefix: displayPrefix(rawKey),
      subjectType: 'service',
      subjectId: 'bootstrap-admin',
      role: 'admin',
      superuser: true,
      bootstrap: true,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      rateLimitPerMinute: null,
      createdBy: 'bootstrap',
    };
  }
}
