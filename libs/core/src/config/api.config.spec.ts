import { ApiConfig } from './api.config';
import { ConfigValidationError, loadConfig } from './load-config';

describe('ApiConfig NEXUS_MAX_FILE_BYTES', () => {
  it('defaults to 1 GiB', () => {
    expect(loadConfig(ApiConfig, {}).NEXUS_MAX_FILE_BYTES).toBe(1024 ** 3);
  });

  it('parses an integer from the environment', () => {
    expect(loadConfig(ApiConfig, { NEXUS_MAX_FILE_BYTES: '1048576' }).NEXUS_MAX_FILE_BYTES).toBe(1_048_576);
  });

  it.each(['0', '-5', 'lots', '1.5'])('refuses %s', (value) => {
    expect(() => loadConfig(ApiConfig, { NEXUS_MAX_FILE_BYTES: value })).toThrow(ConfigValidationError);
  });
});
