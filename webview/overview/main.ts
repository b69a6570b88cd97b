// Overview panel: the providers AppDesk supports, what each can do, and the accounts connected to each.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { OverviewUpdate } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';

const app = document.getElementById('app')!;

function button(label: string, icon: string, command: string, secondary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('icon', icon);
  if (secondary) b.setAttribute('secondary', '');
  b.textContent = label;
  b.addEventListener('click', () => vscodeApi.postMessage({ type: 'runCommand', command }));
  return b;
}

function render(msg: OverviewUpdate): void {
  clear(app);
  app.removeAttribute('aria-busy');
  append(
    app,
    h('h1', {}, 'AppDesk'),
    h('p', { class: 'muted' }, 'Mobile release management in VS Code: metadata, builds, TestFlight, reviews, attribution and in-app feedback in one sidebar.'),
    h('div', { class: 'row' }, button('Add Account…', 'add', 'appdesk.addAccount'), button('Explore Demo Data', 'beaker', 'appdesk.exploreDemo', true)),
    msg.sandboxUrl ? h('p', { class: 'muted' }, 'Demo sandbox running at ', h('code', {}, msg.sandboxUrl)) : null,
    h('h2', {}, 'Providers'),
  );
  const cards = h('div', { class: 'cards', role: 'list' });
  for (const p of msg.providers) {
    cards.append(
      h('section', { class: 'card', role: 'listitem', 'data-provider': p.id },
        h('h3', {}, codicon('plug'), p.label),
        h('p', { class: 'muted' }, p.description),
        h('div', {}, ...p.capabilities.map((c) => h('span', { class: 'tag' }, c))),
        p.accounts.length
          ? h('ul', { class: 'plain' }, ...p.accounts.map((a) => h('li', {}, codicon(a.demo ? 'beaker' : 'account'), ' ', a.label, a.demo ? h('span', { class: 'muted' }, ' (demo)') : null)))
          : h('p', { class: 'muted' }, 'No account yet.'),
      ),
    );
  }
  if (msg.providers.length === 0) cards.append(h('p', { class: 'muted' }, 'No providers are available in this build.'));
  app.append(cards);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data as OverviewUpdate | undefined;
  if (msg?.type === 'overview') render(msg);
});
vscodeApi.postMessage({ type: 'ready' });
