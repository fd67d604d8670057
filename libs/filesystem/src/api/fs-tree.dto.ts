import { ApiProperty } from '@nestjs/swagger';
import { MutationResponse } from './mutation-response.dto';

/* The tree services answer with exactly these shapes, so these classes are the mapping. */

export class MkdirResponse extends MutationResponse {
  @ApiProperty({ example: '/docs/drafts' })
  path: string;

  @ApiProperty({ description: 'False when the directory already existed (parents: true)' })
  created: boolean;
}

export class RmdirResponse extends MutationResponse {
  @ApiProperty({ example: '/docs/drafts' })
  path: string;

  @ApiProperty({ type: 'integer', description: 'Entries removed, the directory included' })
  removed: number;
}

/** rename and copy. */
class TransferResponse extends MutationResponse {
  @ApiProperty({ example: '/docs/a.md' })
  from: string;

  @ApiProperty({ example: '/docs/b.md' })
  to: string;
}

export class RenameResponse extends TransferResponse {
  @ApiProperty({ type: 'integer', description: 'Entries moved (0 when from equals to)' })
  moved: number;
}

export class CopyResponse extends TransferResponse {
  @ApiProperty({ type: 'integer', description: 'Entries copied' })
  copied: number;
}
