// iTunes Connect (legacy): the cookie-session JSON API of the old iTunes Connect web app, as seed 002 ("The
// unofficial documentation of the iTunes Connect JSON API") defines it, with fastlane's recordings as the wire
// contract. No `vscode` import: the extension, the CLI and the tests share this code.
import { itcInfo } from './info';
import type { NewAccount, ProviderDefinition } from '../types';
import { itcCliCommands } from './cli';
import { connectItc } from './connection';
import { PRODUCTION_BASE_URL } from './session';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const itcProvider: ProviderDefinition = {
  ...itcInfo,
  defaultBaseUrl: PRODUCTION_BASE_URL,
  credentialFields: [
    {
      key: 'appleId',
      label: 'Apple ID',
      kind: 'text',
      secret: false,
      placeholder: 'name@example.com',
      prompt: 'The Apple ID you sign in to iTunes Connect with (accounts with two-factor authentication cannot sign in here)',
      validate: (value) => (EMAIL.test(value.trim()) ? undefined : 'Enter the Apple ID as an email address, e.g. name@example.com.'),
    },
    {
      key: 'password',
      label: 'Password',
      kind: 'password',
      secret: true,
      prompt: 'The password of this Apple ID (kept in the system keychain)',
      validate: (value) => (value ? undefined : 'Enter the password.'),
    },
  ],
  secretKeys: ['password', 'cookies'],
  accountLabel: (settings) => (settings.appleId ? `iTunes Connect (${settings.appleId})` : 'iTunes Connect'),
  connect: connectItc,
  environmentVariables: ['ITC_USERNAME', 'ITC_PASSWORD'],
  fromEnvironment(env): NewAccount | undefined {
    const appleId = env.ITC_USERNAME?.trim();
    const password = env.ITC_PASSWORD;
    if (!appleId || !password) return undefined;
    return { label: `iTunes Connect (${appleId})`, settings: { appleId }, secrets: { password } };
  },
  cliCommands: itcCliCommands,
  demoAccounts(credentials): NewAccount[] {
    const appleId = credentials.appleId;
    const password = credentials.password;
    if (typeof appleId !== 'string' || typeof password !== 'string') return [];
    return [{ label: 'Demo iTunes Connect', settings: { appleId }, secrets: { password } }];
  },
};

export type { ItcConnection, ItcServices } from './connection';
export { connectItc, isItcConnection } from './connection';
export { createItcApp, type NewItcApp } from './capabilities';
export { findItcErrors, itcErrorFor } from './errors';
export { itcEndpoints, classifyLoginResponse, findLoginAction } from './session';
