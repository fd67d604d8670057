import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ExpandNode, ExpandTree } from '../engine/expand';
import type { TraceNode, TraceResult } from '../engine/check-evaluator';
import { ObjectRefDto, SubjectRefDto } from './refs.dto';

/* The recursive answers of expand and explain. Listing every kind as a Record key makes the compiler catch a missing one. */

const EXPAND_KINDS = Object.keys({
  direct: 1,
  computed: 1,
  tuple_to_userset: 1,
  union: 1,
  intersection: 1,
  difference: 1,
  cycle: 1,
  depth_exceeded: 1,
} satisfies Record<ExpandTree['kind'], 1>);

const TRACE_STEPS = Object.keys({
  relation: 1,
  direct: 1,
  tuple: 1,
  computed: 1,
  tuple_to_userset: 1,
  union: 1,
  intersection: 1,
  difference: 1,
} satisfies Record<TraceNode['step'], 1>);

const TRACE_RESULTS = Object.keys({
  allowed: 1,
  denied: 1,
  cycle: 1,
  depth_exceeded: 1,
  pending: 1,
} satisfies Record<TraceResult, 1>);

/** object#relation and how it expands. */
export class ExpandNodeResponse implements ExpandNode {
  @ApiProperty({ type: ObjectRefDto })
  object: ObjectRefDto;

  @ApiProperty({ example: 'viewer' })
  relation: string;

  // Typed as the engine's union: naming the later class here would emit a reference to it before it exists.
  @ApiProperty({ type: () => ExpandTreeResponse })
  tree: ExpandTree;
}

/** One rewrite of an expanded relation; which fields are set depends on `kind`. */
export class ExpandTreeResponse {
  @ApiProperty({
    enum: EXPAND_KINDS,
    enumName: 'ExpandTreeKind',
    description: '`cycle`: already being expanded above; `depth_exceeded`: past the depth limit',
  })
  kind: ExpandTree['kind'];

  @ApiPropertyOptional({ type: [SubjectRefDto], description: 'direct: the plain subjects' })
  subjects?: SubjectRefDto[];

  @ApiPropertyOptional({ type: () => [ExpandNodeResponse], description: 'direct: the usersets, expanded' })
  usersets?: ExpandNodeResponse[];

  @ApiPropertyOptional({ type: () => ExpandNodeResponse, description: 'computed: the relation it points to' })
  node?: ExpandNodeResponse;

  @ApiPropertyOptional({ description: 'tuple_to_userset: the tupleset relation' })
  tupleset?: string;

  @ApiPropertyOptional({
    type: () => [ExpandNodeResponse],
    description: 'tuple_to_userset: one node per related object',
  })
  nodes?: ExpandNodeResponse[];

  @ApiPropertyOptional({ type: () => [ExpandTreeResponse], description: 'union, intersection: the operands' })
  children?: ExpandTreeResponse[];

  @ApiPropertyOptional({ type: () => ExpandTreeResponse, description: 'difference: what is kept…' })
  base?: ExpandTreeResponse;

  @ApiPropertyOptional({ type: () => ExpandTreeResponse, description: 'difference: …minus this' })
  subtract?: ExpandTreeResponse;
}

/** One step of an explanation: a relation of an object, a rewrite operator, or a tuple. */
export class TraceNodeResponse implements TraceNode {
  @ApiProperty({ enum: TRACE_STEPS, enumName: 'TraceStep' })
  step: TraceNode['step'];

  @ApiPropertyOptional({ example: 'file:0b7c…' })
  object?: string;

  @ApiPropertyOptional({ example: 'viewer' })
  relation?: string;

  @ApiPropertyOptional({ example: 'user:alice', description: 'tuple: the subject the tuple grants' })
  tuple?: string;

  @ApiProperty({ enum: TRACE_RESULTS, enumName: 'TraceResult' })
  result: TraceResult;

  @ApiProperty({ type: () => [TraceNodeResponse] })
  children: TraceNodeResponse[];
}
