// Types for the undici modules AppDesk loads directly (see undici.ts for why not the package index).
declare module 'undici/lib/dispatcher/dispatcher' {
  import type { Dispatcher } from 'undici';
  const DispatcherClass: typeof Dispatcher;
  export default DispatcherClass;
}
declare module 'undici/lib/dispatcher/agent' {
  import type { Agent } from 'undici';
  const AgentClass: typeof Agent;
  export default AgentClass;
}
declare module 'undici/lib/dispatcher/proxy-agent' {
  import type { ProxyAgent } from 'undici';
  const ProxyAgentClass: typeof ProxyAgent;
  export default ProxyAgentClass;
}
declare module 'undici/lib/api' {
  /** request, stream, pipeline, connect, upgrade: the methods undici's index puts on Dispatcher.prototype. */
  const api: Record<string, unknown>;
  export default api;
}
declare module 'undici/lib/core/connect' {
  import type { buildConnector } from 'undici';
  const build: typeof buildConnector;
  export default build;
}
