import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '@nexus/core';
import type { Page } from '@nexus/core';
import { isUniqueViolation } from '@nexus/storage-models';
import { DataSource, MoreThan } from 'typeorm';
import type { CreateUserDto, UpdateUserDto } from '../api/users.dto';
import { userExists, userNotFound } from '../auth.errors';
import { KeyDirectory } from '../keys/key-directory';
import { User } from '../entities/user.entity';

const isEmailCursor = (value: unknown): value is { email: string } =>
  typeof value === 'object' && value !== null && typeof (value as { email?: unknown }).email === 'string';

/** Users of one zone; every query is scoped by the caller's zone. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyDirectory,
  ) {}

  async create(zoneId: string, input: CreateUserDto): Promise<User> {
    try {
      return await this.dataSource.getRepository(User).save({
        zoneId,
        email: input.email,
        emailNormalized: input.email.toLowerCase(),
        displayName: input.displayName,
        disabled: false,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userExists(input.email);
      throw error;
    }
  }

  async list(zoneId: string, limit: number, cursor?: string): Promise<Page<User>> {
    const after = cursor ? decodeCursor(cursor, isEmailCursor).email : undefined;
    const rows = await this.dataSource.getRepository(User).find({
      where: after !== undefined ? { zoneId, emailNormalized: MoreThan(after) } : { zoneId },
      order: { emailNormalized: 'ASC' },
      take: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ email: last.emailNormalized }) : null,
    };
  }

  async get(zoneId: string, id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id, zoneId } });
    if (!user) throw userNotFound(id);
    return user;
  }

  async update(zoneId: string, id: string, changes: UpdateUserDto): Promise<User> {
    const user = await this.get(zoneId, id);
    if (changes.email !== undefined) {
      user.email = changes.email;
      user.emailNormalized = changes.email.toLowerCase();
    }
    if (changes.displayName !== undefined) user.displayName = changes.displayName;
    const disabling = changes.disabled !== undefined && changes.disabled !== user.disabled;
    if (changes.disabled !== undefined) user.disabled = changes.disabled;
    try {
      await this.dataSource.getRepository(User).save(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw userExists(changes.email ?? user.email);
      throw error;
    }
    // Cached keys carry their subject's state: forget them so the change applies at once.
    if (disabling) await this.keys.invalidateAll();
    return user;
  }
}
