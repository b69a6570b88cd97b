import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformLabel, titleCase, versionState } from '../../../../src/providers/asc/format';

describe('asc labels', () => {
  it('phrases Apple enum values as App Store Connect writes them', () => {
    assert.equal(titleCase('WAITING_FOR_REVIEW'), 'Waiting for Review');
    assert.equal(titleCase('REPLACED_WITH_NEW_VERSION'), 'Replaced with New Version');
    assert.equal(titleCase('DEVELOPER_REMOVED_FROM_SALE'), 'Developer Removed from Sale');
    assert.equal(titleCase('IN_REVIEW'), 'In Review');
    assert.equal(titleCase('NOT_INVITED'), 'Not Invited');
    assert.equal(versionState('WAITING_FOR_REVIEW', undefined).label, 'Waiting for Review');
  });

  it('names platforms as people write them, and a new one as sent', () => {
    assert.deepEqual(['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS', 'WATCH_OS'].map(platformLabel), ['iOS', 'macOS', 'tvOS', 'visionOS', 'WATCH_OS']);
  });
});
