import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUBJECT_TYPES } from '@nexus/core';
import type { SubjectType } from '@nexus/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { OAuthCredential } from '../entities/oauth-credential.entity';
import type { RevealedCredential } from '../vault/vault.service';

export class StoreCredentialDto {
  @ApiProperty({ example: 'github' })
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
    message: 'provider must be 1–64 lowercase letters, digits or ._-',
  })
  provider: string;

  @ApiProperty({ example: 'octocat' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  accountId: string;

  @ApiProperty({ description: 'Stored encrypted; returned only to its owner or a zone admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(16_384)
  accessToken: string;

  @ApiPropertyOptional({ description: 'Stored encrypted' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(16_384)
  refreshToken?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class CredentialResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() provider: string;
  @ApiProperty() accountId: string;
  @ApiProperty({ enum: SUBJECT_TYPES }) ownerSubjectType: SubjectType;
  @ApiProperty() ownerSubjectId: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty() hasRefreshToken: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class CredentialSecretResponse extends CredentialResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: String, nullable: true }) refreshToken: string | null;
}

export class CredentialPage {
  @ApiProperty({ type: [CredentialResponse] }) items: CredentialResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toCredentialResponse(credential: OAuthCredential): CredentialResponse {
  return {
    id: credential.id,
    provider: credential.provider,
    accountId: credential.accountId,
    ownerSubjectType: credential.ownerSubjectType,
    ownerSubjectId: credential.ownerSubjectId,
    scopes: credential.scopes,
    expiresAt: credential.expiresAt?.toISOString() ?? null,
    hasRefreshToken: credential.refreshTokenCiphertext !== null,
    createdAt: credential.createdAt.toISOString(),
    updatedAt: credential.updatedAt.toISOString(),
  };
}

export function toCredentialSecretResponse(revealed: RevealedCredential): CredentialSecretResponse {
  return {
    ...toCredentialResponse(revealed.credential),
    accessToken: revealed.accessToken,
    refreshToken: revealed.refreshToken,
  };
}
