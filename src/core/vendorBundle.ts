/**
 * The third-party libraries, as one module. The extension build bundles it on its own (`dist/vendor.js`) and
 * `vendor()` loads it on first use: 470 KB of undici, tough-cookie (with its public-suffix list) and jose that an
 * activation which shows the tree from cache, or no tree at all, never needs. Other builds bundle it inline.
 */
export { Agent, ProxyAgent, buildConnector } from './undici';
export { SignJWT } from 'jose';
export { CookieJar } from 'tough-cookie';
