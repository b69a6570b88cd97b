// TestFlight groups and testers. Testers belong to the team: adding one finds the tester by email (or creates it
// inside the group in one request), then links it to the group; removing unlinks from a group or from the app.
import { ValidationError, isProviderError } from '../../core/errors';
import type { NewTester, Tester, TesterGroup, TestersService } from '../services';
import type { AppSummary, ListOptions, Page } from '../types';
import { linkage, resourceBody } from './client';
import { seg, type AscContext } from './context';
import { PROVIDER } from './keys';
import { BetaGroup, BetaTester, collection, relIds, relTotal, single } from './schemas';

const GroupList = collection(BetaGroup);
const TesterList = collection(BetaTester);
const TesterDoc = single(BetaTester);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function toTester(t: BetaTester): Tester {
  const a = t.attributes ?? {};
  const groups = relIds(t, 'betaGroups');
  return {
    id: t.id,
    email: a.email ?? '',
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    ...(a.state && { state: a.state }),
    ...(groups.length && { groups }),
  };
}

export function toGroup(g: BetaGroup): TesterGroup & { publicLink?: string } {
  const a = g.attributes ?? {};
  const count = relTotal(g, 'betaTesters');
  return {
    id: g.id,
    name: a.name ?? '(unnamed group)',
    internal: a.isInternalGroup ?? false,
    ...(count !== undefined && { testerCount: count }),
    ...(a.publicLinkEnabled && a.publicLink && { publicLink: a.publicLink }),
  };
}

export class AscTestersService implements TestersService {
  constructor(private readonly ctx: AscContext) {}

  /** Groups with their tester counts, read from the included relationship's paging total (one request). */
  async groups(app: AppSummary, opts: ListOptions = {}): Promise<(TesterGroup & { publicLink?: string })[]> {
    const { data } = await this.ctx.client.all('/v1/betaGroups', GroupList, {
      query: { 'filter[app]': app.id, include: 'betaTesters', 'limit[betaTesters]': 1, 'fields[betaTesters]': 'email', limit: 200 },
      signal: opts.signal,
    });
    return data.map(toGroup).sort((a, b) => Number(b.internal) - Number(a.internal) || a.name.localeCompare(b.name));
  }

  async testers(app: AppSummary, opts: ListOptions & { groupId?: string; limit?: number } = {}): Promise<Page<Tester>> {
    const c = this.ctx.client;
    const p = opts.groupId
      ? await c.page(`/v1/betaGroups/${seg(opts.groupId)}/betaTesters`, TesterList, { query: { limit: opts.limit ?? 50 }, cursor: opts.cursor, signal: opts.signal })
      : await c.page('/v1/betaTesters', TesterList, {
          query: { 'filter[apps]': app.id, include: 'betaGroups', 'limit[betaGroups]': 50, 'fields[betaGroups]': 'name', sort: 'email', limit: opts.limit ?? 50 },
          cursor: opts.cursor,
          signal: opts.signal,
        });
    return { items: p.data.map(toTester), ...(p.next && { next: p.next }), ...(p.total !== undefined && { total: p.total }) };
  }

  /** The team's tester with this email, if any. */
  async findByEmail(email: string, signal?: AbortSignal): Promise<Tester | undefined> {
    const p = await this.ctx.client.page('/v1/betaTesters', TesterList, { query: { 'filter[email]': email.trim(), include: 'betaGroups', 'limit[betaGroups]': 50, limit: 5 }, signal });
    const t = p.data.find((x) => x.attributes?.email?.toLowerCase() === email.trim().toLowerCase()) ?? p.data[0];
    return t ? toTester(t) : undefined;
  }

  async add(app: AppSummary, tester: NewTester, signal?: AbortSignal): Promise<Tester> {
    const email = tester.email.trim();
    if (!EMAIL.test(email)) {
      throw new ValidationError({ provider: PROVIDER, summary: `"${email}" is not an email address`, fieldErrors: { email: ['Enter the tester\'s email address.'] } });
    }
    const groupId = tester.groupId ?? (await this.defaultGroup(app, signal));
    const existing = await this.findByEmail(email, signal);
    if (existing) return this.link(existing, groupId);
    try {
      const doc = await this.ctx.client.post(
        '/v1/betaTesters',
        resourceBody(
          'betaTesters',
          { email, ...(tester.firstName && { firstName: tester.firstName }), ...(tester.lastName && { lastName: tester.lastName }) },
          { betaGroups: [{ type: 'betaGroups', id: groupId }] },
        ),
        TesterDoc,
        { signal },
      );
      return { ...toTester(doc.data), groups: [groupId] };
    } catch (e) {
      // Created meanwhile (another window, another tool): link the one that exists now.
      if (isProviderError(e) && e.kind === 'validation') {
        const now = await this.findByEmail(email, signal);
        if (now) return this.link(now, groupId);
      }
      throw e;
    }
  }

  async remove(app: AppSummary, tester: Tester, groupId?: string): Promise<void> {
    if (groupId) await this.ctx.client.delete(`/v1/betaGroups/${seg(groupId)}/relationships/betaTesters`, linkage('betaTesters', [tester.id]));
    else await this.ctx.client.delete(`/v1/apps/${seg(app.id)}/relationships/betaTesters`, linkage('betaTesters', [tester.id]));
  }

  private async link(t: Tester, groupId: string): Promise<Tester> {
    if (!t.groups?.includes(groupId)) {
      await this.ctx.client.post(`/v1/betaGroups/${seg(groupId)}/relationships/betaTesters`, linkage('betaTesters', [t.id]));
    }
    return { ...t, groups: [...new Set([...(t.groups ?? []), groupId])] };
  }

  /** Without a group: the app's only external group; otherwise the caller must choose. */
  private async defaultGroup(app: AppSummary, signal?: AbortSignal): Promise<string> {
    const groups = await this.groups(app, { signal });
    const external = groups.filter((g) => !g.internal);
    if (external.length === 1) return external[0]!.id;
    throw new ValidationError({
      provider: PROVIDER,
      summary: external.length ? `Choose the TestFlight group for the tester (${app.name} has ${external.length} external groups)` : `${app.name} has no external TestFlight group to add testers to`,
      details: external.map((g) => `${g.name} (${g.id})`),
      fieldErrors: { groupId: ['Choose a group.'] },
      hint: external.length ? 'Pass the group, e.g. --group <id>.' : 'Create an external group in App Store Connect → TestFlight first.',
    });
  }
}
