import type { ExecutionContext, PipeTransform } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import { createValidationPipe } from '@nexus/core';
import { CONSISTENCY_MODES } from '../rebac.types';
import { MAX_ID_BYTES, NAME_PATTERN } from '../tuple/tuple-parsing';
import { CheckRequestDto } from './check.dto';

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function onlyKeys(value: Plain, allowed: readonly string[], required: readonly string[]): boolean {
  const keys = Object.keys(value);
  return keys.every((key) => allowed.includes(key)) && required.every((key) => keys.includes(key));
}

const isName = (value: unknown) => typeof value === 'string' && NAME_PATTERN.test(value);
const isId = (value: unknown) =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_BYTES;

function isRef(value: unknown, withRelation: boolean): boolean {
  if (
    !isPlain(value) ||
    !onlyKeys(value, withRelation ? ['type', 'id', 'relation'] : ['type', 'id'], ['type', 'id'])
  )
    return false;
  return isName(value.type) && isId(value.id) && (!('relation' in value) || isName(value.relation));
}

function isConsistency(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, ['mode', 'token'], ['mode'])) return false;
  const token = value.token;
  return (
    (CONSISTENCY_MODES as readonly unknown[]).includes(value.mode) &&
    (!('token' in value) || (typeof token === 'string' && token.length <= 128))
  );
}

/**
 * The common check body — object, relation, subject and maybe a consistency,
 * nothing else, no nulls — checked by hand: a strict subset of what
 * CheckRequestDto accepts (the spec compares both).
 */
export function isPlainCheck(body: unknown): boolean {
  if (
    !isPlain(body) ||
    !onlyKeys(body, ['object', 'relation', 'subject', 'consistency'], ['object', 'relation', 'subject'])
  )
    return false;
  return (
    isRef(body.object, false) &&
    isName(body.relation) &&
    isRef(body.subject, true) &&
    (!('consistency' in body) || isConsistency(body.consistency))
  );
}

/**
 * The check body without the class-validator round trip on the hot path: a plain
 * check passes as is; anything else (contextual tuples, or an invalid body) goes
 * through the standard validation pipe with CheckRequestDto, errors included.
 */
export class CheckBodyPipe implements PipeTransform<unknown, Promise<CheckRequestDto>> {
  private readonly standard = createValidationPipe();

  async transform(value: unknown): Promise<CheckRequestDto> {
    if (isPlainCheck(value)) return value as CheckRequestDto;
    return (await this.standard.transform(value, {
      type: 'body',
      metatype: CheckRequestDto,
    })) as CheckRequestDto;
  }
}

/** @Body() for POST check, validated by CheckBodyPipe (a custom decorator: the global pipe skips it). */
export const CheckBody = (): ParameterDecorator =>
  createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
    return context.switchToHttp().getRequest<{ body?: unknown }>().body;
  })(new CheckBodyPipe());
