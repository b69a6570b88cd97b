import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError, ValidationError } from '../../../../src/core/errors';
import type { AscConnection } from '../../../../src/providers/asc';
import { LUMEN, POCKET, TIDEPOOL, TRAILHEAD, app, ascRequests, useHarness, type Harness } from './helpers';

const lumen = app(LUMEN, 'Lumen Notes');

describe('asc reviews and release', () => {
  let h: Harness;
  let conn: AscConnection;
  useHarness((started) => (h = started), { connectEachTest: (c) => (conn = c) });

  it('lists reviews with responses and filters by rating, territory and answered', async () => {
    const from = h.sandbox.requests().length;
    const all = await conn.services.reviews.list(lumen, {});
    assert.equal(ascRequests(h, from).length, 1);
    assert.equal(all.items.length, 8);
    const ben = all.items.find((r) => r.author === 'mtgnotes_ben')!;
    assert.equal(ben.response?.state, 'PUBLISHED');
    assert.match(ben.response!.body, /^Hi Ben/);
    const hostile = all.items.find((r) => r.author === '<b>h4x0r</b>')!;
    assert.equal(hostile.title, '<img src=x onerror=alert(1)>');

    const ones = await conn.services.reviews.list(lumen, { rating: 1 });
    assert.deepEqual(ones.items.map((r) => r.rating), [1]);
    const usa = await conn.services.reviews.list(lumen, { territory: 'usa' });
    assert.ok(usa.items.length === 2 && usa.items.every((r) => r.territory === 'USA'));
    const answered = await conn.services.reviews.list(lumen, { answered: true });
    assert.deepEqual(answered.items.map((r) => r.author), ['mtgnotes_ben']);
    const lowest = await conn.services.reviews.list(lumen, { sort: 'lowest' });
    assert.equal(lowest.items[0]!.rating, 1);
  });

  it('replies to a review, edits the reply (delete + post) and deletes it', async () => {
    const page = await conn.services.reviews.list(lumen, { answered: false, rating: 5 });
    const review = page.items.find((r) => !r.response)!;
    const response = await conn.services.reviews.reply(lumen, review, 'Thank you for the kind words!');
    assert.ok(response?.id);
    assert.equal(response?.body, 'Thank you for the kind words!');
    assert.equal(response?.state, 'PENDING_PUBLISH');

    const withResponse = await conn.services.reviews.get(review.id);
    assert.equal(withResponse.response?.id, response?.id);
    const from = h.sandbox.requests().length;
    const edited = await conn.services.reviews.reply(lumen, withResponse, 'Thanks a lot!');
    assert.deepEqual(ascRequests(h, from).map((r) => `${r.method} ${r.path.split('/').slice(0, 3).join('/')}`), ['DELETE /v1/customerReviewResponses', 'POST /v1/customerReviewResponses']);
    assert.equal(edited?.body, 'Thanks a lot!');

    await conn.services.reviews.deleteResponse(lumen, { ...withResponse, response: edited });
    assert.equal((await conn.services.reviews.get(review.id)).response, undefined);
    await assert.rejects(conn.services.reviews.reply(lumen, review, '   '), ValidationError);
    await assert.rejects(conn.services.reviews.reply(lumen, review, 'x'.repeat(5971)), ValidationError);
  });

  it('checks readiness with fix targets, and submits through reviewSubmissions → items → submitted', async () => {
    const versions = await conn.services.metadata.listVersions(lumen);
    const v = versions.find((x) => x.versionString === '3.3.0')!;
    let checks = await conn.services.release.readiness(lumen, v.id);
    const failing = checks.filter((c) => !c.ok);
    assert.deepEqual(failing, [{ ok: false, label: 'No build is attached to this version', fix: { target: 'builds' } }]);
    assert.ok(checks.find((c) => c.label.startsWith('en-US'))?.ok);

    // Clear a required field: readiness points at it.
    const doc = await conn.services.metadata.load(lumen, v.id);
    const cleared = await conn.services.metadata.save(lumen, doc, { locales: [{ locale: 'ja', values: { keywords: '' } }] });
    assert.equal(cleared.status, 'saved');
    checks = await conn.services.release.readiness(lumen, v.id);
    assert.deepEqual(checks.find((c) => c.label.startsWith('ja:')), { ok: false, label: 'ja: Keywords missing', fix: { target: 'metadata', locale: 'ja', field: 'keywords' } });
    if (cleared.status === 'saved') await conn.services.metadata.save(lumen, cleared.document, { locales: [{ locale: 'ja', values: { keywords: 'ノート,メモ' } }] });

    // Attach the valid build.
    const b412 = (await conn.services.builds.list(lumen)).items.find((b) => b.buildNumber === '412')!;
    await conn.services.metadata.attachBuild(lumen, v.id, b412.id);
    checks = await conn.services.release.readiness(lumen, v.id);
    assert.deepEqual(checks.filter((c) => !c.ok), []);
    assert.ok(checks.some((c) => c.label === 'The build is processed and valid'));

    const from = h.sandbox.requests().length;
    const sub = await conn.services.release.submit(lumen, v.id);
    assert.equal(sub.state, 'WAITING_FOR_REVIEW');
    assert.equal(sub.versionId, v.id);
    assert.ok(sub.submittedDate);
    const writes = ascRequests(h, from).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('/').slice(0, 3).join('/')}`);
    assert.deepEqual(writes, ['POST /v1/reviewSubmissions', 'POST /v1/reviewSubmissionItems', 'PATCH /v1/reviewSubmissions']);

    const current = await conn.services.release.currentSubmission!(lumen);
    assert.equal(current?.id, sub.id);
    assert.equal(current?.versionId, v.id);
    const after = await conn.services.metadata.listVersions(lumen);
    assert.equal(after.find((x) => x.id === v.id)?.state, 'WAITING_FOR_REVIEW');

    await conn.services.release.cancelSubmission!(lumen, sub);
    const canceled = await conn.services.release.currentSubmission!(lumen);
    assert.equal(canceled?.state, 'CANCELING');
  });

  it('reports Apple\'s submission errors (associatedErrors) when checks are skipped', async () => {
    const versions = await conn.services.metadata.listVersions(lumen);
    const v = versions.find((x) => x.versionString === '3.3.0')!;
    await assert.rejects(conn.services.release.submit(lumen, v.id), (e: unknown) => {
      assert.ok(isProviderError(e));
      assert.equal(e.kind, 'validation');
      assert.equal(e.status, 409);
      assert.ok(e.details?.includes('Submit for review errors found.'));
      assert.ok(e.details?.some((d) => /choose a build/.test(d)));
      assert.ok(e.fieldErrors?.build);
      return true;
    });
    // The draft is reused on the next attempt instead of failing with "already has a submission".
    const b412 = (await conn.services.builds.list(lumen)).items.find((b) => b.buildNumber === '412')!;
    await conn.services.metadata.attachBuild(lumen, v.id, b412.id);
    const from = h.sandbox.requests().length;
    const sub = await conn.services.release.submit(lumen, v.id);
    assert.equal(sub.state, 'WAITING_FOR_REVIEW');
    const writes = ascRequests(h, from).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('/').slice(0, 3).join('/')}`);
    assert.deepEqual(writes, ['PATCH /v1/reviewSubmissions']);
  });

  it('resubmits a rejected version in its unresolved submission', async () => {
    const tide = app(TIDEPOOL, 'Tidepool Weather');
    const v = (await conn.services.metadata.listVersions(tide)).find((x) => x.versionString === '5.0.1' && x.platform === 'IOS')!;
    assert.equal(v.state, 'REJECTED');
    const from = h.sandbox.requests().length;
    const sub = await conn.services.release.submit(tide, v.id);
    assert.equal(sub.state, 'WAITING_FOR_REVIEW');
    assert.deepEqual(ascRequests(h, from).filter((r) => r.method !== 'GET').map((r) => r.method), ['PATCH']);
  });

  it('reads and changes a phased release, and releases a version pending developer release', async () => {
    const versions = await conn.services.metadata.listVersions(lumen);
    const live = versions.find((x) => x.versionString === '3.2.0')!;
    const phased = await conn.services.release.phasedRelease!(lumen, live.id);
    assert.equal(phased?.state, 'ACTIVE');
    assert.equal(phased?.currentDayNumber, 3);
    const paused = await conn.services.release.setPhasedRelease!(lumen, phased!, 'PAUSED');
    assert.equal(paused.state, 'PAUSED');
    assert.equal(await conn.services.release.phasedRelease!(lumen, versions.find((x) => x.versionString === '3.1.2')!.id), undefined);

    const trail = app(TRAILHEAD, 'Trailhead');
    const pending = (await conn.services.metadata.listVersions(trail)).find((x) => x.state === 'PENDING_DEVELOPER_RELEASE')!;
    await conn.services.release.releaseVersion!(trail, pending.id);
    const after = (await conn.services.metadata.listVersions(trail)).find((x) => x.id === pending.id)!;
    assert.equal(after.live, true);
    assert.equal((await conn.services.release.phasedRelease!(trail, pending.id))?.state, 'ACTIVE');
  });

  it('shows the submission waiting for review', async () => {
    const current = await conn.services.release.currentSubmission!(app(POCKET, 'Pocket Ledger'));
    assert.equal(current?.state, 'WAITING_FOR_REVIEW');
    assert.ok(current?.versionId);
  });
});
