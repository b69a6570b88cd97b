import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeWebviewViewType, eventually } from './support';

describe('foundation', () => {
  it('contributes the Apps view in its own container and can reveal it', async () => {
    const ext = vscode.extensions.getExtension('appdesk.appdesk')!;
    const views = (ext.packageJSON as { contributes: { views: Record<string, { id: string }[]> } }).contributes.views;
    assert.deepEqual(views.appdesk?.map((v) => v.id), ['appdesk.apps']);
    // Focusing a view that does not exist rejects; this one must open.
    await vscode.commands.executeCommand('appdesk.apps.focus');
  });

  it('opens the Overview webview panel', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('appdesk.openOverview');
    // The tab registers asynchronously after the command returns.
    await eventually(() => /appdesk\.overview$/.test(activeWebviewViewType() ?? ''), 'the Overview tab');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputWebview, 'the active tab is a webview');
    assert.match(tab.input.viewType, /appdesk\.overview$/);
    assert.equal(tab.label, 'AppDesk Overview');
  });
});
