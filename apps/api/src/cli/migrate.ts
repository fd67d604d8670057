/**
 * `npm run migrate` (`dist/nexus/migrate.js` when built): applies the pending
 * migrations of the platform and of every domain the API mounts.
 */
import 'reflect-metadata';
import { runMigrateCommand } from '@nexus/storage-models';
import { API_DOMAINS } from '../domains';

void runMigrateCommand(API_DOMAINS);
