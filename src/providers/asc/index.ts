// App Store Connect (the official REST API with an API key): the provider definition. No `vscode` import here.
import { ascInfo } from './info';
import { ConfigError } from '../../core/errors';
import type { NewAccount, ProviderDefinition } from '../types';
import { ascCliCommands } from './cli';
import { AscConnection, DEFAULT_BASE_URL } from './connection';
import { PROVIDER, accountLabel, makeAccount, parseApiKeyJson, validateIssuerId, validateKeyId, validatePrivateKey } from './keys';

export { parseApiKeyJson, parsePrivateKey, normalizePrivateKey, validateIssuerId, validateKeyId, validatePrivateKey } from './keys';
export { AscConnection } from './connection';
export { METADATA_FIELDS } from './metadata';

export const ENVIRONMENT_VARIABLES = [
  'ASC_KEY_ID',
  'ASC_ISSUER_ID',
  'ASC_PRIVATE_KEY_PATH',
  'ASC_PRIVATE_KEY',
  'ASC_API_KEY_PATH',
  'ASC_VENDOR_NUMBER',
] as const;

/**
 * CLI credentials: fastlane's key JSON (`ASC_API_KEY_PATH`), or `ASC_KEY_ID` + `ASC_PRIVATE_KEY_PATH` (or the key text
 * in `ASC_PRIVATE_KEY`) + `ASC_ISSUER_ID` (absent for an individual key). Undefined when none is set; ConfigError
 * naming the variable when something is set but incomplete or unreadable.
 */
export function ascFromEnvironment(env: NodeJS.ProcessEnv, readFile: (path: string) => string): NewAccount | undefined {
  const get = (k: string) => env[k]?.trim() || undefined;
  const read = (variable: string, path: string) => {
    try {
      return readFile(path);
    } catch (e) {
      throw new ConfigError({ provider: PROVIDER, summary: `Could not read ${variable} (${path})`, details: [(e as NodeJS.ErrnoException).code ?? (e as Error).message], hint: `Set ${variable} to the path of the key file.` });
    }
  };
  const vendorNumber = get('ASC_VENDOR_NUMBER');
  const jsonPath = get('ASC_API_KEY_PATH');
  if (jsonPath) {
    const acc = parseApiKeyJson(read('ASC_API_KEY_PATH', jsonPath));
    if (vendorNumber) acc.settings.vendorNumber = vendorNumber;
    return acc;
  }
  const keyId = get('ASC_KEY_ID');
  const keyPath = get('ASC_PRIVATE_KEY_PATH');
  const keyText = get('ASC_PRIVATE_KEY');
  if (!keyId && !keyPath && !keyText) return undefined;
  if (!keyId) throw new ConfigError({ provider: PROVIDER, summary: 'ASC_KEY_ID is not set', hint: 'Set ASC_KEY_ID to the 10-character key ID of the API key.' });
  if (!keyPath && !keyText) throw new ConfigError({ provider: PROVIDER, summary: 'The App Store Connect private key is not set', hint: 'Set ASC_PRIVATE_KEY_PATH to the AuthKey_<key ID>.p8 file (or ASC_API_KEY_PATH to fastlane\'s key JSON).' });
  const privateKey = keyPath ? read('ASC_PRIVATE_KEY_PATH', keyPath) : keyText!;
  return makeAccount({ keyId, issuerId: get('ASC_ISSUER_ID') ?? '', privateKey, vendorNumber });
}

/** Explore Demo Data: the sandbox's team key (`sandbox.credentials().asc`). */
export function ascDemoAccounts(credentials: Record<string, unknown>): NewAccount[] {
  const str = (x: unknown) => (typeof x === 'string' && x.trim() ? x : undefined);
  const obj = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
  const team = obj(credentials.team) ?? credentials;
  const keyId = str(team.keyId);
  const privateKey = str(team.privateKey);
  if (!keyId || !privateKey) return [];
  return [
    makeAccount({
      keyId,
      issuerId: str(team.issuerId) ?? str(credentials.issuerId) ?? '',
      privateKey,
      vendorNumber: str(credentials.vendorNumber) ?? str(team.vendorNumber),
      label: 'Demo App Store Connect',
    }),
  ];
}

export const ascProvider: ProviderDefinition = {
  ...ascInfo,
  defaultBaseUrl: DEFAULT_BASE_URL,
  credentialFields: [
    {
      key: 'issuerId',
      label: 'Issuer ID',
      kind: 'text',
      secret: false,
      optional: true,
      placeholder: '57246542-96fe-1a63-e053-0824d011072a',
      prompt: 'Issuer ID (App Store Connect → Users and Access → Integrations → Team Keys). Leave empty for an individual key.',
      validate: validateIssuerId,
    },
    {
      key: 'keyId',
      label: 'Key ID',
      kind: 'text',
      secret: false,
      placeholder: '2X9R4HXF34',
      prompt: 'Key ID of the API key (10 characters; also in the AuthKey_<key ID>.p8 file name)',
      validate: validateKeyId,
    },
    {
      key: 'privateKey',
      label: 'Private key (.p8)',
      kind: 'file',
      secret: true,
      prompt: 'Choose the AuthKey_<key ID>.p8 file downloaded from App Store Connect',
      validate: validatePrivateKey,
    },
  ],
  secretKeys: ['privateKey'],
  accountLabel,
  connect: (account, host) => new AscConnection(account, host),
  fromEnvironment: ascFromEnvironment,
  environmentVariables: ENVIRONMENT_VARIABLES,
  cliCommands: ascCliCommands,
  importers: [
    {
      label: 'Import API Key JSON…',
      detail: 'fastlane\'s API key file: {"key_id", "issuer_id", "key"} (issuer_id absent for an individual key)',
      filters: { 'API key JSON': ['json'] },
      parse: parseApiKeyJson,
    },
  ],
  demoAccounts: ascDemoAccounts,
};
