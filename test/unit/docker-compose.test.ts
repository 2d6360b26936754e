import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { appEnvironment, REPLICAS } from '../../scripts/cluster/topology';
import { loadConfig } from '../../src/config';
import { SEARCH_ATTRIBUTE_CLI_TYPES, SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { searchAttributesRequest } from '../../src/temporal/register-search-attributes';

// There is no Docker engine here, so docker-compose.yml never runs in CI: this keeps it true to the topology the
// cluster tier does run (scripts/cluster/topology.ts, scripts/temporal.sh, config/temporal/).
const root = resolve(__dirname, '../..');
interface Service {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  volumes?: string[];
  deploy?: { replicas?: number };
}
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; 'x-chargeloop-env': Record<string, string> };
const services = compose.services;
const temporalScript = readFileSync(resolve(root, 'scripts/temporal.sh'), 'utf8');

/** The default a compose `${VAR:-default}` reference resolves to when VAR is unset. */
/** What an operator must supply (compose's `${VAR:?why}`): a well-formed example, so the real config loader can check the rest. */
const OPERATOR_SUPPLIED: Readonly<Record<string, string>> = { CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
const withDefaults = (value: string): string =>
  value
    .replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_all, name: string) => {
      const example = OPERATOR_SUPPLIED[name];
      if (example === undefined) throw new Error(`docker-compose requires ${name}; add an example to OPERATOR_SUPPLIED`);
      return example;
    })
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const imageTag = (service: string): { name: string; tag: string } => {
  const [name, tag] = withDefaults(services[service]!.image!).split(':');
  return { name: name!, tag: tag! };
};
const serverVersion = execFileSync('bash', [resolve(root, 'scripts/temporal.sh'), 'server-version'], { encoding: 'utf8' }).trim();

describe('docker-compose.yml matches the cluster topology', () => {
  test('the Temporal server, its schema tool and the namespace job run the pinned server version', () => {
    expect(serverVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(imageTag('temporal')).toEqual({ name: 'temporalio/server', tag: serverVersion });
    expect(imageTag('temporal-schema')).toEqual({ name: 'temporalio/admin-tools', tag: serverVersion });
    expect(imageTag('temporal-namespace')).toEqual({ name: 'temporalio/admin-tools', tag: serverVersion });
  });

  test('the UI image is the UI server version the cluster builds', () => {
    const uiVersion = /^UI_VERSION=(\S+)/m.exec(temporalScript)?.[1];
    expect(uiVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(imageTag('temporal-ui')).toEqual({ name: 'temporalio/ui', tag: uiVersion });
  });

  test('persistence and visibility on PostgreSQL with the same plugin and databases as config/temporal/cluster.yaml', () => {
    const cluster = readFileSync(resolve(root, 'config/temporal/cluster.yaml'), 'utf8');
    const plugins = [...cluster.matchAll(/pluginName: (\S+)/g)].map((m) => m[1]);
    const databases = [...cluster.matchAll(/databaseName: (\S+)/g)].map((m) => m[1]);
    expect(new Set(plugins)).toEqual(new Set([services.temporal!.environment!.DB]));
    expect(services['temporal-schema']!.environment!.SQL_PLUGIN).toBe(services.temporal!.environment!.DB);
    expect(databases).toEqual(['temporal', 'temporal_visibility']);
    const schemaJob = String(services['temporal-schema']!.command);
    for (const db of databases) expect(schemaJob).toContain(db!);
    expect(imageTag('postgresql').name).toBe('postgres');
  });

  test('the server reads the cluster dynamic config, with time skipping enabled', () => {
    const mount = services.temporal!.volumes!.find((v) => v.includes('dynamicconfig'))!;
    const [hostPath, containerPath] = mount.split(':');
    expect(resolve(root, hostPath!)).toBe(resolve(root, 'config/temporal/dynamicconfig.yaml'));
    expect(services.temporal!.environment!.DYNAMIC_CONFIG_FILE_PATH).toBe(containerPath);
    const dynamic = parse(readFileSync(resolve(root, hostPath!), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(dynamic['frontend.WorkflowTimeSkippingEnabled']).toEqual([{ value: true }]);
  });

  test('the setup job registers every search attribute of the shared table, through the module the cluster uses', () => {
    const command = services.setup!.command as string[];
    expect(command).toEqual(['node', 'dist/src/temporal/register-search-attributes.js']);
    expect(existsSync(resolve(root, 'src/temporal/register-search-attributes.ts'))).toBe(true);
    const registered = Object.keys(searchAttributesRequest('default').searchAttributes ?? {});
    expect(registered.sort()).toEqual(SEARCH_ATTRIBUTES.map((a) => a.name).sort());
    expect(Object.keys(SEARCH_ATTRIBUTE_CLI_TYPES).sort()).toEqual(registered.sort());
  });

  test('workers and API replicas: as many as the cluster runs, with the environment the cluster gives them', () => {
    expect(services.worker!.deploy?.replicas).toBe(REPLICAS.workers);
    expect(services.api!.deploy?.replicas).toBe(REPLICAS.apis);
    const env = Object.fromEntries(Object.entries(compose['x-chargeloop-env']).map(([k, v]) => [k, withDefaults(String(v))]));
    for (const key of Object.keys(appEnvironment('a:1', 'ns', '/c.json'))) expect(env).toHaveProperty(key);
    // The images' environment parses with the real config loader (API_KEYS unset: the API itself refuses to start).
    const config = loadConfig(env);
    expect(config).toMatchObject({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default' });
    for (const service of ['worker', 'api']) {
      const own = Object.fromEntries(Object.entries(services[service]!.environment ?? {}).map(([k, v]) => [k, withDefaults(String(v))]));
      expect(() => loadConfig({ ...env, ...own })).not.toThrow();
    }
  });
});
