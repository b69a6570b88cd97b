/**
 * The part of undici AppDesk uses: Agent, ProxyAgent and `dispatcher.request()`. undici's package index also
 * loads fetch, WebSocket, EventSource, mocks and cache stores: ≈ 520 KB of a 940 KB extension bundle, parsed at
 * every activation. These modules are the same code the index re-exports; like the index, we attach the request
 * API to this bundle's own Dispatcher (it is not VS Code's undici, nor any other extension's).
 */
import Dispatcher from 'undici/lib/dispatcher/dispatcher';
import api from 'undici/lib/api';
import Agent from 'undici/lib/dispatcher/agent';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent';
import buildConnector from 'undici/lib/core/connect';

Object.assign(Dispatcher.prototype, api);

export { Agent, ProxyAgent, buildConnector };
export type { Dispatcher } from 'undici';
