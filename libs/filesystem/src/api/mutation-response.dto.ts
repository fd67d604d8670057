import { ApiProperty } from '@nestjs/swagger';
import type { MutationResult } from '../fs.types';

/** What every mutation answers with: the zone revision it became visible at. */
export class MutationResponse implements MutationResult {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '42',
    description:
      'Zone revision (decimal) the change became visible at, also sent as X-Nexus-Revision; ' +
      'pass it to reads as ?minRevision=. Null when it could not be read after the commit',
  })
  revision: string | null;
}
