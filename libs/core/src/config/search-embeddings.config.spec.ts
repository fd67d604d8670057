import { ApiConfig } from './api.config';
import type { BaseConfig } from './base.config';
import { ConfigValidationError, describeConfig, loadConfig } from './load-config';
import { WorkerConfig } from './worker.config';

describe('NEXUS_SEARCH_EMBEDDINGS (read by both the API and the worker)', () => {
  const openai = {
    NEXUS_SEARCH_EMBEDDINGS: 'openai',
    NEXUS_SEARCH_EMBEDDINGS_URL: 'https://embed.example/v1/embeddings',
    NEXUS_SEARCH_EMBEDDINGS_MODEL: 'text-embedding-3-small',
    NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS: '1536',
    NEXUS_SEARCH_EMBEDDINGS_API_KEY: 'sk-very-secret',
  };

  it('defaults to none with 8000 characters embedded, in both processes', () => {
    for (const configClass of [ApiConfig, WorkerConfig] as Array<new () => BaseConfig>)
      expect(loadConfig(configClass, {})).toMatchObject({
        NEXUS_SEARCH_EMBEDDINGS: 'none',
        NEXUS_SEARCH_EMBED_CHARS: 8_000,
      });
    expect(loadConfig(WorkerConfig, { NEXUS_SEARCH_EMBEDDINGS: 'hashing' }).NEXUS_SEARCH_EMBEDDINGS).toBe(
      'hashing',
    );
  });

  it('openai needs a URL, a model and dimensions, each named when missing', () => {
    expect(loadConfig(ApiConfig, openai)).toMatchObject({ NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS: 1536 });
    for (const missing of [
      'NEXUS_SEARCH_EMBEDDINGS_URL',
      'NEXUS_SEARCH_EMBEDDINGS_MODEL',
      'NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS',
    ] as const) {
      const env: Record<string, string> = { ...openai };
      delete env[missing];
      expect(() => loadConfig(WorkerConfig, env)).toThrow(
        new RegExp(`${missing}: ${missing} is required when NEXUS_SEARCH_EMBEDDINGS=openai`),
      );
    }
  });

  it('refuses bad values, naming the variable and never the key', () => {
    for (const [key, value] of [
      ['NEXUS_SEARCH_EMBEDDINGS', 'pgvector'],
      ['NEXUS_SEARCH_EMBEDDINGS_URL', 'ftp://x'],
      ['NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS', '0'],
      ['NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS', '12abc'],
      ['NEXUS_SEARCH_EMBED_CHARS', '0'],
    ] as const) {
      let error: unknown;
      try {
        loadConfig(ApiConfig, { ...openai, [key]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems.map((p) => p.variable)).toEqual([key]);
      expect(String(error)).not.toContain('sk-very-secret');
    }
  });

  it('redacts the API key and the URL (it may carry a token) when the config is described', () => {
    const described = describeConfig(loadConfig(WorkerConfig, openai));
    expect(described['NEXUS_SEARCH_EMBEDDINGS_API_KEY']).toBe('[redacted]');
    expect(described['NEXUS_SEARCH_EMBEDDINGS_URL']).toBe('[redacted]');
    expect(JSON.stringify(described)).not.toContain('sk-very-secret');
  });
});
