import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MAX_DEFINITION_BYTES } from '../definition/definition-format';

/** The Content-Types a YAML document may be posted with (`POST /api/v1/workflows/import`). */
export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];


/** Lets the API take YAML bodies as text (parsed by the route that wants them); JSON stays Fastify's. */
@Injectable()
export class YamlBodyInstaller implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser(YAML_CONTENT_TYPES[0] ?? '')) return;
    fastify.addContentTypeParser(
      YAML_CONTENT_TYPES,
      { parseAs: 'string', bodyLimit: MAX_DEFINITION_BYTES },
      (_request, body, done) => done(null, body),
    );
  }
}
