import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '@nexus/core';
import type { Page, Principal } from '@nexus/core';
import { isUniqueViolation } from '@nexus/storage-models';
import { DataSource, MoreThan } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { superuserRequired, zoneExists, zoneNotFound } from '../auth.errors';
import { Zone } from '../entities/zone.entity';

const isNameCursor = (value: unknown): value is { name: string } =>
  typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';

/** Zones: superusers manage all of them; everyone else sees only their own. */
@Injectable()
export class ZonesService {
  constructor(private readonly dataSource: DataSource) {}

  async create(principal: Principal, name: string, settings: Record<string, unknown> = {}): Promise<Zone> {
    if (!principal.superuser) throw superuserRequired('creates zones');
    try {
      return await this.dataSource.getRepository(Zone).save({ name, settings });
    } catch (error) {
      if (isUniqueViolation(error)) throw zoneExists(name);
      throw error;
    }
  }

  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<Zone>> {
    if (!principal.superuser) {
      const own = await this.findById(principal.zoneId);
      return { items: own ? [own] : [], nextCursor: null };
    }
    const after = cursor ? decodeCursor(cursor, isNameCursor).name : undefined;
    const rows = await this.dataSource.getRepository(Zone).find({
      where: after !== undefined ? { name: MoreThan(after) } : {},
      order: { name: 'ASC' },
      take: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ name: last.name }) : null };
  }

  /** A zone the principal may see; any other id is "not found" (existence never leaks). */
  async get(principal: Principal, id: string): Promise<Zone> {
    const zone = principal.superuser || id === principal.zoneId ? await this.findById(id) : null;
    if (!zone) throw zoneNotFound(id);
    return zone;
  }

  /** The zone with this name, created if missing (bootstrap; safe under concurrent starts). */
  async ensure(name: string, manager: EntityManager = this.dataSource.manager): Promise<Zone> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Zone)
      .values({ name, settings: {} })
      .orIgnore()
      .execute();
    return manager.getRepository(Zone).findOneOrFail({ where: { name } });
  }

  async findById(id: string): Promise<Zone | null> {
    return this.dataSource.getRepository(Zone).findOne({ where: { id } });
  }
}
