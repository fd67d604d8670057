import { defineDomain } from '@nexus/core';
import { AuthModule } from './auth.module';
import { ApiKey } from './entities/api-key.entity';
import { AUTH_MIGRATIONS } from './migrations';
import { User } from './entities/user.entity';
import { OAuthCredential } from './entities/oauth-credential.entity';
import { Zone } from './entities/zone.entity';

/** Zones, users, API keys and the OAuth vault; the API authenticates every request with it. */
export const AUTH_DOMAIN = defineDomain({
  name: 'auth',
  entities: [Zone, User, ApiKey, OAuthCredential],
  migrations: AUTH_MIGRATIONS,
  apiModule: () => AuthModule.forRoot({ bootstrap: true }),
});
