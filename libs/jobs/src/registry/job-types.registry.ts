import { Inject, Injectable } from '@nestjs/common';
import { DOMAINS } from '@nexus/core';
import type { ComposedDomains, JobTypeDeclaration } from '@nexus/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { invalidJobPayload, payloadNotAnObject, unknownJobType } from '../jobs.errors';

/** The job types the mounted domains declare, and their payload checks. */
@Injectable()
export class JobTypes {
  constructor(@Inject(DOMAINS) private readonly domains: ComposedDomains) {}

  /** Every declared type name. */
  names(): string[] {
    return [...this.domains.jobTypes.keys()];
  }

  has(type: string): boolean {
    return this.domains.jobTypes.has(type);
  }

  /**
   * The payload checked against its type's class (unknown properties refused),
   * or a 400 naming the problem; `index` places it in a batch.
   */
  validate(type: string, payload: unknown, index?: number): object {
    const declaration = this.domains.jobTypes.get(type);
    if (!declaration) throw unknownJobType(type, index);
    return validatePayload(declaration, payload);
  }
}

export function validatePayload(declaration: JobTypeDeclaration, payload: unknown): object {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw payloadNotAnObject(declaration.type);
  }
  const instance = plainToInstance(declaration.payload, payload);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const problems = errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`);
    throw invalidJobPayload(declaration.type, problems);
  }
  return payload;
}
