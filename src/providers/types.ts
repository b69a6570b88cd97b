// The provider model: one interface all five providers implement, so the tree, the panels and the CLI work
// from capabilities and never branch on a provider's name. No `vscode` import here.
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { CapabilityServices } from './services';

export type ProviderId = 'asc' | 'itc' | 'apptweak' | 'appsflyer' | 'apptentive';

/** What a provider can do; the UI shows sections, panels and commands from these. */
export type Capability =
  | 'groups' // a level between account and apps (AppTweak integrations)
  | 'metadata'
  | 'versions'
  | 'builds'
  | 'testers'
  | 'reviews'
  | 'feedback'
  | 'surveys'
  | 'reports'
  | 'release';

/** A field the Add Account flow asks for. */
export interface CredentialField {
  key: string;
  label: string;
  /** `file`: the user picks a file and its CONTENT is the value (e.g. a .p8 key). */
  kind: 'text' | 'password' | 'file' | 'choice';
  /** Secret values go to SecretStorage; others live in the account record. */
  secret: boolean;
  optional?: boolean;
  placeholder?: string;
  prompt?: string;
  choices?: { value: string; label: string; description?: string }[];
  /** Quick local check before anything is saved; returns a message naming what is wrong, or undefined. */
  validate?(value: string): string | undefined;
}

/** The non-secret part of an account, kept in the account list. Secrets are looked up by `accountId`. */
export interface AccountConfig {
  id: string;
  providerId: ProviderId;
  label: string;
  /** API base URL; absent means the provider's production URL. */
  baseUrl?: string;
  /** Non-secret credential fields (key ID, issuer ID, capability, …). */
  settings: Record<string, string>;
  /** Demo accounts point at the local sandbox. */
  demo?: boolean;
}

/** Secret storage seen by providers: SecretStorage in the extension, env/files in the CLI, memory in tests. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Persisted non-secret key/value state (daily request budgets). */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
}

export interface ProxySettings {
  url?: string;
  strictSSL: boolean;
}

/** What the host (extension or CLI) gives a provider. */
export interface ProviderHost {
  logger: Logger;
  secrets: SecretStore;
  state: StateStore;
  proxy?: ProxySettings;
  timeoutMs?: number;
  /**
   * The clock rate limiting and retry waits run on; default the system clock. The benchmark scales it together with
   * the sandbox's rate-limit clock. Token lifetimes always use real time.
   */
  clock?: Clock;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  next?: string;
  total?: number;
}

export interface ListOptions {
  cursor?: string;
  signal?: AbortSignal;
}

export type Tone = 'ok' | 'info' | 'warning' | 'error';

/** A row in the tree or a list panel, already phrased for people. */
export interface Item {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id, e.g. `package`. */
  icon?: string;
  tone?: Tone;
  /** Extra tokens for the tree's `contextValue` (menus), e.g. `tester`, `build`. */
  tags?: string[];
  /** Whether it expands (children come from the section's `children`). */
  expandable?: boolean;
  /** Raw data a panel or command may need (ids, states). */
  data?: Record<string, unknown>;
}

export interface AppSummary {
  id: string;
  name: string;
  /** Bundle id or package name, used to link the same app across providers. */
  bundleId?: string;
  /** Store id (Apple ID) where known, also used for linking. */
  storeId?: string;
  platform?: string;
  iconUrl?: string;
  description?: string;
  /** Group (integration) this app belongs to, for providers with the `groups` capability. */
  groupId?: string;
  data?: Record<string, unknown>;
}

export type SectionKind = 'versions' | 'builds' | 'testers' | 'reviews' | 'feedback' | 'surveys';

/** A child of an app in the tree (App Store versions, Builds, TestFlight, Reviews, …). */
export interface Section {
  kind: SectionKind;
  label: string;
  icon: string;
  list(app: AppSummary, opts: ListOptions): Promise<Page<Item>>;
  /** For expandable items (TestFlight group → testers). */
  children?(app: AppSummary, parent: Item, opts: ListOptions): Promise<Page<Item>>;
}

/** A live connection of one account. Capability services are present when the capability is. */
export interface Connection {
  readonly account: AccountConfig;
  readonly capabilities: ReadonlySet<Capability>;
  /** One cheap authenticated call; throws a typed error naming the provider when the credentials fail. */
  verify(signal?: AbortSignal): Promise<void>;
  /** Integrations (AppTweak) when `groups` is a capability. */
  listGroups?(opts: ListOptions): Promise<Page<Item>>;
  listApps(opts: ListOptions & { groupId?: string }): Promise<Page<AppSummary>>;
  sections(app: AppSummary): Section[];
  /** The capability services this account offers (see services.ts). */
  readonly services: CapabilityServices;
  /**
   * States worth watching (build processing, version and review-submission states, new reviews), for the poller:
   * the API has no webhooks, so the watcher compares successive snapshots.
   */
  watch?(signal?: AbortSignal): Promise<WatchedState[]>;
  /** Remaining request budget for a status bar or tooltip, when the provider has one. */
  budget?(): Promise<BudgetInfo | undefined>;
  dispose?(): void;
}

export interface WatchedState {
  /** Stable identity across polls, e.g. `build:123`. */
  key: string;
  kind: 'build' | 'version' | 'submission' | 'review';
  app: AppSummary;
  /** e.g. "Build 2.1 (45)". */
  label: string;
  state: string;
  stateLabel: string;
  tone?: Tone;
}

export interface BudgetInfo {
  label: string;
  remaining: number;
  limit: number;
  resetsAt?: Date;
}

/** What the extension shows of a provider before any of its code loads (the tree, the overview). */
export interface ProviderInfo {
  readonly id: ProviderId;
  readonly label: string;
  readonly description: string;
  /** Codicon id for the provider node. */
  readonly icon: string;
  /** What an account of this provider offers (before connecting). */
  readonly capabilities: readonly Capability[];
}

/** A provider in the extension's catalog: its info at once, its definition (and code) when first needed. */
export interface ProviderEntry extends ProviderInfo {
  load(): Promise<ProviderDefinition>;
}

export interface ProviderDefinition extends ProviderInfo {
  readonly defaultBaseUrl: string;
  readonly credentialFields: readonly CredentialField[];
  /** Secret key names this provider stores per account (so Remove Account can delete every one). */
  readonly secretKeys: readonly string[];
  /** A label for a new account from its non-secret settings. */
  accountLabel(settings: Record<string, string>): string;
  connect(account: AccountConfig, host: ProviderHost): Connection;
  /** Credentials from the CLI's environment variables (`ASC_KEY_ID`, `APPSFLYER_TOKEN`, …); undefined when absent. */
  fromEnvironment?(env: NodeJS.ProcessEnv, readFile: (path: string) => string, flags?: Record<string, string | boolean>): NewAccount | undefined;
  /** CLI flags that shape the account rather than one command (e.g. AppsFlyer's `--capability`). */
  readonly cliAccountFlags?: readonly string[];
  /** Names of the environment variables `fromEnvironment` reads, for help and error messages. */
  readonly environmentVariables?: readonly string[];
  /** Provider-specific CLI commands (beyond the generic `accounts` and `apps`). */
  readonly cliCommands?: readonly CliCommand[];
  /** Other ways to add an account from a file (e.g. fastlane's API key JSON), offered beside the plain form. */
  readonly importers?: readonly AccountImporter[];
  /** Turns the sandbox's demo credentials for this provider into accounts (Explore Demo Data). */
  demoAccounts?(credentials: Record<string, unknown>): NewAccount[];
}

export interface AccountImporter {
  label: string;
  detail: string;
  /** File dialog filters, e.g. `{ 'API key JSON': ['json'] }`. */
  filters: Record<string, string[]>;
  /** Parses the file's content; throws an Error whose message says what is wrong. */
  parse(text: string): Omit<NewAccount, 'label'> & { label?: string };
}

/** An account about to be saved: non-secret settings and the secrets that go to the secret store. */
export interface NewAccount {
  label: string;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

/** Key of one secret of one account in SecretStorage. */
export const secretKey = (accountId: string, name: string): string => `appdesk.account.${accountId}.${name}`;

/** A CLI command of one provider. `run` returns data: printed as JSON with --json, else as `text`. */
export interface CliCommand {
  name: string;
  usage: string;
  description: string;
  run(connection: Connection, args: CliArgs, signal: AbortSignal): Promise<CliResult>;
}

export interface CliArgs {
  positional: string[];
  flags: Record<string, string | boolean>;
}

export interface CliResult {
  data: unknown;
  /** Human-readable lines for the terminal. */
  text: string[];
}
