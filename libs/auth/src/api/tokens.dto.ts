import { ApiProperty } from '@nestjs/swagger';
import { JWT_ALGORITHMS, ROLES, SUBJECT_TYPES } from '@nexus/core';
import type { JwtAlgorithm, Principal, Role, SubjectType } from '@nexus/core';
import { IsString, MaxLength, MinLength } from 'class-validator';

export const AUTH_SCHEMES = ['api_key', 'jwt'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export class TokenRequestDto {
  @ApiProperty({ description: 'An API key (nx_<zone>_<secret>)' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  apiKey: string;
}

export class TokenResponse {
  @ApiProperty({ description: 'A JWT, sent as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires' }) expiresIn: number;
}

export class PrincipalResponse {
  @ApiProperty({ enum: SUBJECT_TYPES }) subjectType: SubjectType;
  @ApiProperty() subjectId: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() superuser: boolean;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The API key behind the credential',
  })
  keyId: string | null;
}

export class AuthSchemesResponse {
  @ApiProperty({
    enum: AUTH_SCHEMES,
    isArray: true,
    description: 'Credentials accepted in `Authorization: Bearer <credential>`',
  })
  schemes: AuthScheme[];
  @ApiProperty({ example: 'nx_<zone>_<secret>' }) apiKeyFormat: string;
  @ApiProperty({ example: '/api/v1/auth/token' }) tokenEndpoint: string;
  @ApiProperty({ enum: JWT_ALGORITHMS }) tokenAlgorithm: JwtAlgorithm;
  @ApiProperty({ type: 'integer', description: 'Lifetime of an access token, seconds' })
  tokenLifetimeSeconds: number;
}

export function toPrincipalResponse(principal: Principal): PrincipalResponse {
  return {
    subjectType: principal.subjectType,
    subjectId: principal.subjectId,
    zoneId: principal.zoneId,
    role: principal.role,
    superuser: principal.superuser,
    keyId: principal.keyId,
  };
}
