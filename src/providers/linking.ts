// The same app across providers: apps whose bundle id or store id match are linked automatically; people can
// link or unlink by hand. Pure logic (no vscode), so the tree and the CLI can share it.
import type { AppSummary, ProviderId } from './types';

export interface AppRef {
  accountId: string;
  accountLabel: string;
  providerId: ProviderId;
  app: AppSummary;
}

/** Manual decisions, as pairs of app keys (`accountId/appId`). */
export interface LinkDecisions {
  links: [string, string][];
  unlinks: [string, string][];
}

export interface LinkedApp {
  /** Stable id: the smallest member key. */
  id: string;
  name: string;
  bundleId?: string;
  members: AppRef[];
  /** Why they are linked, for tooltips. */
  reasons: string[];
}

export const appKey = (r: { accountId: string; app: { id: string } }): string => `${r.accountId}/${r.app.id}`;

const norm = (s: string | undefined) => s?.trim().toLowerCase() || undefined;
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Groups of at least two apps from different accounts that are the same app. */
export function linkApps(refs: AppRef[], decisions: LinkDecisions = { links: [], unlinks: [] }): LinkedApp[] {
  const byKey = new Map(refs.map((r) => [appKey(r), r]));
  const unlinked = new Set(decisions.unlinks.map(([a, b]) => pairKey(a, b)));
  const edges = new Map<string, string>(); // pair → reason
  const index = new Map<string, string[]>(); // identifier → keys
  for (const r of refs) {
    for (const id of [norm(r.app.bundleId) && `bundle:${norm(r.app.bundleId)}`, norm(r.app.storeId) && `store:${norm(r.app.storeId)}`]) {
      if (!id) continue;
      const list = index.get(id) ?? [];
      list.push(appKey(r));
      index.set(id, list);
    }
  }
  for (const [id, keys] of index) {
    for (let i = 1; i < keys.length; i++) {
      const a = keys[0]!;
      const b = keys[i]!;
      if (byKey.get(a)!.accountId === byKey.get(b)!.accountId) continue;
      const p = pairKey(a, b);
      if (!unlinked.has(p)) edges.set(p, id.startsWith('bundle:') ? `same bundle ID ${id.slice(7)}` : `same store ID ${id.slice(6)}`);
    }
  }
  for (const [a, b] of decisions.links) if (byKey.has(a) && byKey.has(b)) edges.set(pairKey(a, b), 'linked by hand');

  // Connected components (union-find).
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  for (const p of edges.keys()) {
    const [a, b] = p.split('|') as [string, string];
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, { members: AppRef[]; reasons: Set<string> }>();
  for (const p of edges.keys()) {
    const [a] = p.split('|') as [string, string];
    const root = find(a);
    const g = groups.get(root) ?? { members: [], reasons: new Set<string>() };
    g.reasons.add(edges.get(p)!);
    groups.set(root, g);
  }
  for (const r of refs) {
    const k = appKey(r);
    if (!parent.has(k)) continue;
    groups.get(find(k))?.members.push(r);
  }
  const result: LinkedApp[] = [];
  for (const [root, g] of groups) {
    if (new Set(g.members.map((m) => m.accountId)).size < 2) continue;
    // The App Store name is the most recognisable; else the first.
    const named = g.members.find((m) => m.providerId === 'asc') ?? g.members[0]!;
    result.push({ id: root, name: named.app.name, bundleId: g.members.find((m) => m.app.bundleId)?.app.bundleId, members: g.members, reasons: [...g.reasons] });
  }
  return result.sort((a, b) => a.name.localeCompare(b.name));
}
