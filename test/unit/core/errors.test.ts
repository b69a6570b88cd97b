import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthError,
  CancelledError,
  ConfigError,
  NetworkError,
  NotFoundError,
  ProtocolError,
  ProviderError,
  RateLimitError,
  TransientError,
  ValidationError,
  describeEndpoint,
  formatRetryAt,
  isCancellation,
  isProviderError,
} from '../../../src/core/errors';

describe('errors', () => {
  it('composes an actionable message from summary, details and hint', () => {
    const e = new AuthError({
      provider: 'App Store Connect',
      status: 401,
      summary: 'App Store Connect rejected the API key (401)',
      hint: 'Check the key ID and issuer ID, or generate a new key in Users and Access → Integrations.',
    });
    assert.equal(
      e.message,
      'App Store Connect rejected the API key (401). Check the key ID and issuer ID, or generate a new key in Users and Access → Integrations.',
    );
    assert.equal(e.kind, 'auth');
    assert.equal(e.name, 'AuthError');
    assert.equal(e.retryable, false);
    assert.ok(e instanceof ProviderError && e instanceof Error);
  });

  it('has defaults per kind that name the provider', () => {
    assert.equal(new AuthError({ provider: 'AppsFlyer', status: 401 }).message, 'AppsFlyer rejected the credentials (401). Check the credentials for this account, or reconnect it.');
    assert.match(new AuthError({ provider: 'AppsFlyer', status: 403 }).message, /^AppsFlyer denied access \(403\)\. Check that the account has the role/);
    assert.match(new NotFoundError({ provider: 'Apptentive', status: 404, endpoint: 'GET /surveys/1' }).message, /^Apptentive could not find GET \/surveys\/1 \(404\)\./);
    assert.match(new TransientError({ provider: 'AppTweak', status: 503 }).message, /^AppTweak is temporarily unavailable \(503\)\. Try again/);
    assert.match(new ProtocolError({ provider: 'AppTweak', endpoint: 'GET /accounts' }).message, /^AppTweak returned an unexpected response for GET \/accounts\./);
    assert.match(new NetworkError({ provider: 'AppTweak' }).message, /^Could not reach AppTweak\. Check your internet connection and proxy settings/);
    assert.equal(new CancelledError({ provider: 'AppTweak' }).message, 'Request to AppTweak was cancelled.');
    assert.match(new ConfigError({ provider: 'AppTweak' }).message, /^AppTweak is not configured correctly\./);
  });

  it('includes the API\'s own words, at most three', () => {
    const e = new ValidationError({ provider: 'App Store Connect', status: 409, details: ['Submit for review errors found.', 'b', 'c', 'd', 'e'], fieldErrors: { whatsNew: ['required'] } });
    assert.equal(e.message, 'App Store Connect rejected the request (409): Submit for review errors found; b; c (and 2 more). Correct the values and try again.');
    assert.deepEqual(e.fieldErrors, { whatsNew: ['required'] });
    assert.equal(e.details?.length, 5);
  });

  it('knows which kinds are retryable; NetworkError is a TransientError', () => {
    assert.equal(new TransientError({ provider: 'x' }).retryable, true);
    assert.equal(new RateLimitError({ provider: 'x' }).retryable, true);
    const n = new NetworkError({ provider: 'x' });
    assert.ok(n instanceof TransientError);
    assert.equal(n.kind, 'network');
    assert.equal(n.name, 'NetworkError');
    assert.equal(n.retryable, true);
    assert.equal(new NetworkError({ provider: 'x', retryable: false }).retryable, false);
    assert.equal(new ValidationError({ provider: 'x' }).retryable, false);
  });

  it('rate limit errors say when to retry', () => {
    const at = new Date(Date.now() + 30_000);
    const e = new RateLimitError({ provider: 'AppsFlyer', status: 429, retryAt: at });
    assert.match(e.message, /^AppsFlyer rate limit reached \(429\)\. Try again in (29|30) s\.$/);
    assert.equal(e.retryAt, at);
    assert.equal(e.toJSON().retryAt, at.toISOString());
  });

  it('serialises to plain data', () => {
    const j = new NotFoundError({ provider: 'P', status: 404, endpoint: 'GET /x', cause: new Error('inner') }).toJSON();
    assert.deepEqual(Object.keys(j).sort(), ['endpoint', 'hint', 'kind', 'message', 'name', 'provider', 'retryable', 'status']);
    assert.equal(JSON.parse(JSON.stringify(new AuthError({ provider: 'P' }))).kind, 'auth');
  });

  it('isProviderError and isCancellation', () => {
    assert.equal(isProviderError(new AuthError({ provider: 'p' })), true);
    assert.equal(isProviderError(new Error('x')), false);
    assert.equal(isProviderError({ kind: 'auth', provider: 'p', hint: '' }), false, 'plain objects are not errors');
    const foreign = Object.assign(new Error('m'), { kind: 'auth', provider: 'p', hint: 'h' });
    assert.equal(isProviderError(foreign), true, 'structural fallback for another bundle\'s classes');
    assert.equal(isCancellation(new CancelledError({ provider: 'p' })), true);
    assert.equal(isCancellation(Object.assign(new Error('x'), { name: 'AbortError' })), true);
    assert.equal(isCancellation(new AuthError({ provider: 'p' })), false);
  });

  it('describeEndpoint drops the query string', () => {
    assert.equal(describeEndpoint('get', 'https://api.apptentive.com/surveys?oauth_token=secret'), 'GET /surveys');
    assert.equal(describeEndpoint('POST', 'not a url?x=1'), 'POST not a url');
  });

  it('formatRetryAt', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(formatRetryAt(new Date(now + 40_000), now), 'in 40 s');
    assert.equal(formatRetryAt(new Date(now + 12 * 60_000), now), 'in 12 min');
    assert.match(formatRetryAt(new Date(now + 5 * 3600_000), now), /^after \d\d:\d\d$/);
    assert.match(formatRetryAt(new Date(now + 30 * 3600_000), now), /^after 2026-01-0\d \d\d:\d\d$/);
  });
});
