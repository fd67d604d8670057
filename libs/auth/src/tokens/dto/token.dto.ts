import { ApiProperty } from '@nestjs/swagger';
import { ROLES, SUBJECT_TYPES } from '@nexus/core';
import type { Principal, Role, SubjectType } from '@nexus/core';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty({ description: 'An API key (nx_<zone>_<secret>)' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  apiKey: string;
}

export class TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
}

export class PrincipalResponse {
  @ApiProperty({ enum: SUBJECT_TYPES }) subjectType: SubjectType;
  @ApiProperty() subjectId: string;
  @ApiProperty() zoneId: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() superuser: boolean;
  @ApiProperty({ nullable: true, type: String }) keyId: string | null;

  static of(principal: Principal): PrincipalResponse {
    return { ...principal };
  }
}

export class AuthSchemesResponse {
  @ApiProperty({ description: 'Credentials accepted in `Authorization: Bearer <credential>`', example: ['api_key', 'jwt'] })
  schemes: Array<'api_key' | 'jwt'>;
  @ApiProperty({ example: 'nx_<zone>_<secret>' }) apiKeyFormat: string;
  @ApiProperty({ example: '/api/v1/auth/token' }) tokenEndpoint: string;
  @ApiProperty({ example: 'HS256' }) tokenAlgorithm: string;
  @ApiProperty({ description: 'Lifetime of an access token, seconds' }) tokenLifetimeSeconds: number;
}
