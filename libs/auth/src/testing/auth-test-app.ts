import { Writable } from 'node:stream';
import { Controller, Get, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ApiConfig,
  ConfigModule,
  DomainsModule,
  NestPinoLogger,
  ObservabilityModule,
  RedisModule,
  composeDomains,
  configureHttpApplication,
  createFastifyAdapter,
  createLogger,
  loadConfig,
} from '@nexus/core';
import { DatabaseModule } from '@nexus/storage-models';
import { AUTH_DOMAIN } from '../auth.domain';
import { AuthModule } from '../auth.module';
import { CurrentPrincipal, MinRole, Public } from '../guard/decorators';
import type { Principal } from '@nexus/core';

/** Routes guarded by each role, plus a public one: the role gate under test. */
@Controller('probe')
class RoleProbeController {
  @Get('public')
  @Public()
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('viewer')
  @MinRole('viewer')
  viewer(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('editor')
  @MinRole('editor')
  editor(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('operator')
  @MinRole('operator')
  operator(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('admin')
  @MinRole('admin')
  admin(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

const AUTH_TEST_DOMAINS = composeDomains([AUTH_DOMAIN]);

@Module({})
class AuthTestAppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AuthTestAppModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        RedisModule.forRoot({ purpose: 'test', mode: 'fail-fast', waitingMessage: 'test' }),
        DomainsModule.forRoot(AUTH_TEST_DOMAINS),
        DatabaseModule.forRoot({ schema: AUTH_TEST_DOMAINS, runMigrations: true }),
        AuthModule.forRoot({ bootstrap: true }),
      ],
      controllers: [RoleProbeController],
    };
  }
}

/** Every log line the app wrote, as raw JSON text (to assert that no secret appears). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }

  text(): string {
    return this.lines.join('\n');
  }
}

export interface AuthTestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * A real HTTP app with the auth module, on the given database and the local Redis,
 * listening on a free port. `env` overrides configuration (ApiConfig variables).
 */
export async function startAuthTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<AuthTestApp> {
  const config = loadConfig(ApiConfig, {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    NEXUS_JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger('auth-test', config.LOG_LEVEL, logs);
  const app = await NestFactory.create<NestFastifyApplication>(
    AuthTestAppModule.forRoot(config),
    createFastifyAdapter(),
    {
      logger: new NestPinoLogger(logger),
      abortOnError: false,
    },
  );
  configureHttpApplication(app, logger);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: await app.getUrl(), logs, close: () => app.close() };
}

/** The bootstrap key the app printed at first start. */
export function bootstrapKeyFrom(logs: LogCapture): string {
  const match =
    /Bootstrap superuser key created \(shown once, store it now\): (nx_[a-z0-9-]+_[A-Za-z0-9_-]+)/.exec(
      logs.text(),
    );
  if (!match?.[1]) throw new Error('no bootstrap key in the logs');
  return match[1];
}
