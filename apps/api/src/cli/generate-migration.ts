/**
 * `npm run migration:generate -- <library> <Name>`: writes the migration that
 * brings the schema the existing migrations build up to the entities of every
 * domain the API mounts, into the owning library's migrations folder.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { runGenerateMigrationCommand } from '@nexus/storage-models';
import { API_DOMAINS } from '../domains';

void runGenerateMigrationCommand(API_DOMAINS, resolve(__dirname, '../../../..'), process.argv.slice(2));
