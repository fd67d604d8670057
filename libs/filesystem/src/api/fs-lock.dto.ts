import { ApiProperty } from '@nestjs/swagger';
import type { FsLockView } from '../service/fs-locks.service';

/** The locks service answers with exactly this shape, so the class is the mapping. */
export class LockResponse implements FsLockView {
  @ApiProperty({ example: '/docs/readme.md' })
  path: string;

  @ApiProperty({ example: 'agent:planner', description: 'The holder' })
  owner: string;

  @ApiProperty({ example: '7', description: 'Decimal; grows with every grant of this lock' })
  fencingToken: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}
