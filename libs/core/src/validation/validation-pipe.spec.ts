import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import { ValidationError } from '../errors/domain-error';
import { toErrorResponse } from '../errors/error-response';
import { PaginationQueryDto } from '../pagination/pagination.dto';
import { createValidationPipe } from './validation-pipe';

class AddressDto {
  @IsString()
  @MinLength(2)
  city: string;

  @IsInt()
  @Min(1)
  zip: number;
}

class TagDto {
  @IsString()
  name: string;
}

class CreateUserDto {
  @IsString()
  @MinLength(1)
  name: string;

  @IsInt()
  age: number;

  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => TagDto)
  tags?: TagDto[];
}

const body: ArgumentMetadata = { type: 'body', metatype: CreateUserDto };
const query: ArgumentMetadata = { type: 'query', metatype: PaginationQueryDto };

function validUser(): Record<string, unknown> {
  return { name: 'Ada', age: 36, address: { city: 'Paris', zip: 75001 }, tags: [{ name: 'admin' }] };
}

async function rejection(value: unknown, metadata: ArgumentMetadata = body): Promise<ValidationError> {
  try {
    await createValidationPipe().transform(value, metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`the pipe accepted ${JSON.stringify(value)}`);
}

function fieldsOf(error: ValidationError): Record<string, string[]> {
  return (error.details as { fields: Record<string, string[]> }).fields;
}

describe('createValidationPipe', () => {
  it('turns a valid body into instances of the DTO classes', async () => {
    const result: unknown = await createValidationPipe().transform(validUser(), body);

    expect(result).toBeInstanceOf(CreateUserDto);
    const dto = result as CreateUserDto;
    expect(dto.address).toBeInstanceOf(AddressDto);
    expect(dto.tags?.[0]).toBeInstanceOf(TagDto);
    expect(dto).toEqual(validUser());
  });

  it('answers 400 VALIDATION_FAILED with each bad field under its dotted path', async () => {
    const error = await rejection({
      name: '',
      age: 'old',
      address: { city: 'P', zip: 0 },
      tags: [{ name: 'ok' }, { name: 5 }],
    });

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    const fields = fieldsOf(error);
    expect(Object.keys(fields).sort()).toEqual(['address.city', 'address.zip', 'age', 'name', 'tags.1.name']);
    expect(fields['address.city']).toEqual(['city must be longer than or equal to 2 characters']);
    expect(fields['address.zip']).toEqual(['zip must not be less than 1']);
    expect(fields['tags.1.name']).toEqual(['name must be a string']);
    expect(fields.age).toEqual(['age must be an integer number']);
  });

  it('summarises every bad field in the message', async () => {
    const error = await rejection({ ...validUser(), age: 1.5, address: { city: 'X', zip: 1 } });

    expect(error.message).toBe(
      'Request validation failed: age: age must be an integer number; address.city: city must be longer than or equal to 2 characters',
    );
  });

  it('lists all constraints a field breaks', async () => {
    const error = await rejection({ ...validUser(), address: { city: 7, zip: 1 } });

    expect(fieldsOf(error)['address.city']).toEqual(
      expect.arrayContaining(['city must be a string', 'city must be longer than or equal to 2 characters']),
    );
  });

  it('reports a nested object that is not an object under its own name', async () => {
    const fields = fieldsOf(await rejection({ ...validUser(), address: 'somewhere' }));

    expect(Object.keys(fields)).toEqual(['address']);
    expect(fields.address?.[0]).toContain('address');
  });

  it('rejects unknown properties, also inside nested objects', async () => {
    const error = await rejection({
      ...validUser(),
      isAdmin: true,
      address: { city: 'Paris', zip: 75001, planet: 'Mars' },
    });

    expect(fieldsOf(error)).toEqual({
      isAdmin: ['property isAdmin should not exist'],
      'address.planet': ['property planet should not exist'],
    });
  });

  it('answers HTTP 400 with the fields through the error response', async () => {
    const error = await rejection({ ...validUser(), age: 'x' });

    expect(toErrorResponse(error, 'req-1')).toMatchObject({
      statusCode: 400,
      error: 'VALIDATION_FAILED',
      details: { fields: { age: ['age must be an integer number'] } },
    });
  });

  it('converts and defaults paging query parameters', async () => {
    const pipe = createValidationPipe();

    const given: unknown = await pipe.transform({ limit: '20', cursor: 'abc' }, query);
    const defaulted: unknown = await pipe.transform({}, query);

    expect(given).toBeInstanceOf(PaginationQueryDto);
    expect(given).toEqual({ limit: 20, cursor: 'abc' });
    expect((defaulted as PaginationQueryDto).limit).toBe(50);
  });

  it.each(['0', '1001', 'abc'])('rejects the paging limit %p', async (limit) => {
    expect(Object.keys(fieldsOf(await rejection({ limit }, query)))).toEqual(['limit']);
  });

  it('rejects unknown query parameters', async () => {
    expect(fieldsOf(await rejection({ limit: '10', page: '2' }, query))).toEqual({
      page: ['property page should not exist'],
    });
  });

  it('converts primitive route parameters to their declared type', async () => {
    const pipe = createValidationPipe();

    await expect(pipe.transform('42', { type: 'param', metatype: Number, data: 'id' })).resolves.toBe(42);
    await expect(pipe.transform('abc', { type: 'param', metatype: String, data: 'name' })).resolves.toBe(
      'abc',
    );
  });
});
