// Every migration, in order. New files are created by `npm run migration:generate -- <Name>`
// and must be added here (explicit imports work the same under ts, swc and tsc output).
import { Initial1795304210598 } from './1795304210598-Initial';
import { AuthTables1795306269937 } from './1795306269937-AuthTables';
import { RebacTables1795306399165 } from './1795306399165-RebacTables';
import { JobsTables1795306792958 } from './1795306792958-JobsTables';
import { FilesystemTables1795313543181 } from './1795313543181-FilesystemTables';
import { DeploymentIdentity1796214919020 } from './1796214919020-DeploymentIdentity';

export const MIGRATIONS = [
  Initial1795304210598,
  AuthTables1795306269937,
  RebacTables1795306399165,
  JobsTables1795306792958,
  FilesystemTables1795313543181,
  DeploymentIdentity1796214919020,
];
