/**
 * AppDesk core: the vscode-free HTTP machinery every provider uses (extension, CLI and tests alike).
 *
 * A provider builds one ApiClient per account, sharing one HttpClient (connection pools, proxy) per process:
 *
 *   const http = new HttpClient({ logger, proxy: { url: cfg.get('http.proxy'), strictSSL: cfg.get('http.proxyStrictSSL', true) } });
 *   const limiter = limiters.get(credentialKey('asc', keyId), () => createAppStoreConnectLimiter({ logger }));
 *   const asc = new ApiClient({
 *     provider: 'App Store Connect',
 *     baseUrl: 'https://api.appstoreconnect.apple.com',
 *     http,
 *     auth: async () => ({ authorization: `Bearer ${await tokens.get()}` }), // per attempt: refreshed tokens
 *     rateLimiter: limiter,            // queues under 300/min and learns the hourly limit from X-Rate-Limit
 *     cache, cacheKey: keyId,          // ETag / Last-Modified revalidation, per account
 *     logger,                          // a RedactingLogger
 *     hints: { 401: 'Check the key ID and issuer ID, or generate a new key in Users and Access → Integrations.' },
 *   });
 *   const Apps = v.object({ data: v.array(v.object({ id: v.string(), attributes: v.object({ name: v.nullish(v.string()) }) })),
 *                           links: v.object({ next: v.nullish(v.string()) }) });
 *   for await (const page of followLinksNext('/v1/apps?limit=200', (url, signal) => asc.get(url, { schema: Apps, signal }),
 *                                            { apiOrigin: asc.baseUrl.href, provider: asc.provider })) { … }
 *
 * Every failure is a ProviderError (AuthError, RateLimitError, …) whose message names the provider and says what
 * to do; `kind` and `retryAt` drive tree error nodes, reconnect actions and "try again at" texts.
 */
export * from './errors';
export * from './clock';
export * from './redact';
export * from './logger';
export * from './http';
export * from './retry';
export * from './rateLimiter';
export * from './cache';
export * from './pagination';
export * from './validate';
export * from './apiClient';
