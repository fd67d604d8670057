// The platform's own migrations (the audit log, the outbox, the deployment identity); every
// domain lists its own in its DomainDefinition. `npm run migration:generate` writes new files.
import { Initial1795304210598 } from './1795304210598-Initial';
import { DeploymentIdentity1796214919020 } from './1796214919020-DeploymentIdentity';
import { OutboxEvents1796220810313 } from './1796220810313-OutboxEvents';
import { OutboxZonePositions1796235000000 } from './1796235000000-OutboxZonePositions';
import { RetentionIndexes1796235957970 } from './1796235957970-RetentionIndexes';

export const STORAGE_MIGRATIONS = [
  Initial1795304210598,
  DeploymentIdentity1796214919020,
  OutboxEvents1796220810313,
  OutboxZonePositions1796235000000,
  RetentionIndexes1796235957970,
];
