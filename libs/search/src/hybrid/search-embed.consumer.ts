import { Injectable } from '@nestjs/common';
import type { EventBatch, EventConsumer } from '@nexus/core';
import type { EntityManager } from 'typeorm';
import { scopeOf } from '../index/search-index.consumer';
import { EmbeddingWriter } from './embedding-writer';

/**
 * `search.embed`: keeps search_embeddings in step with the files, in the
 * relay's transaction (rows commit exactly when the position moves). Its own
 * consumer, not a step of `search.index`: a provider that fails makes this
 * consumer retry with backoff while the index stays fresh; queries meanwhile
 * ignore vectors of replaced content. Without a provider it does nothing.
 */
@Injectable()
export class SearchEmbedConsumer implements EventConsumer<EntityManager> {
  constructor(private readonly writer: EmbeddingWriter) {}

  async handle(batch: EventBatch<EntityManager>): Promise<void> {
    if (!batch.zoneId || !this.writer.enabled) return;
    await this.writer.sync(batch.transaction, batch.zoneId, scopeOf(batch.events));
  }
}
