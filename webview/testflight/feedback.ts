// Beta feedback cards: screenshot and crash submissions with the tester, device, OS and comment. Screenshots are
// shown only from https: URLs given by the API (the panel's CSP allows no other remote images); crash logs open
// in an editor through the extension.
import type { FeedbackEntry } from '../../src/providers/services';
import { codicon, h } from '../shared/dom';
import { button, formatDate } from '../shared/ui';

/** Detail keys shown first and how to label them; other details follow in their own words. */
const KNOWN: [string[], string][] = [
  [['deviceModel', 'device', 'deviceName'], 'Device'],
  [['osVersion', 'os', 'osName'], 'OS'],
  [['appVersion', 'build', 'buildNumber', 'buildVersion'], 'Build'],
  [['locale'], 'Locale'],
  [['connectionType', 'connection'], 'Connection'],
  [['batteryPercentage', 'battery'], 'Battery'],
];

export function safeImageUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function feedbackCard(entry: FeedbackEntry, opts: { crashLogs: boolean; onCrashLog: () => void; error?: HTMLElement | null }): HTMLElement {
  const crash = entry.type === 'crash' || entry.hasCrashLog === true;
  const who = entry.author && entry.email && entry.author !== entry.email ? `${entry.author} <${entry.email}>` : (entry.author ?? entry.email ?? 'Anonymous tester');
  const details = entry.details ?? {};
  const used = new Set<string>();
  const facts: [string, string][] = [];
  for (const [keys, label] of KNOWN) {
    const key = keys.find((k) => details[k] !== undefined && details[k] !== null && details[k] !== '');
    if (key) { facts.push([label, String(details[key])]); keys.forEach((k) => used.add(k)); }
  }
  for (const [k, v] of Object.entries(details)) {
    if (used.has(k) || v === null || v === '' || v === undefined) continue;
    facts.push([k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()), String(v)]);
  }
  const card = h('article', { class: `card feedback ${crash ? 'crash' : 'screenshot'}`, 'data-feedback': entry.id },
    h('h3', {}, codicon(crash ? 'bug' : 'device-camera'), crash ? 'Crash' : entry.type === 'screenshot' ? 'Screenshot' : capitalize(entry.type),
      h('span', { class: 'muted date' }, formatDate(entry.createdDate))),
    h('div', { class: 'muted' }, codicon('person'), ' ', who),
    facts.length ? h('dl', { class: 'kv compact' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null,
    entry.text ? h('p', { class: 'comment' }, entry.text) : h('p', { class: 'muted' }, 'No comment.'),
  );
  const shots = (entry.screenshots ?? []).map((s) => ({ ...s, safe: safeImageUrl(s.url) }));
  if (shots.length) {
    const strip = h('div', { class: 'thumbs' });
    for (const [i, s] of shots.entries()) {
      if (!s.safe) {
        strip.append(h('span', { class: 'thumb missing', title: 'This screenshot is not served over https and is not shown.' }, codicon('file-media')));
        continue;
      }
      const img = h('img', { src: s.safe, alt: `Screenshot ${i + 1} from ${who}`, loading: 'lazy', referrerpolicy: 'no-referrer', decoding: 'async' });
      if (s.width && s.height) { img.width = Math.round((s.width / s.height) * 160); img.height = 160; }
      img.addEventListener('error', () => img.replaceWith(h('span', { class: 'thumb missing', title: 'The screenshot could not be loaded (links from the API expire after a while).' }, codicon('file-media'))));
      // A link opens the full-size image in the browser (VS Code routes webview links to the system browser).
      strip.append(h('a', { href: s.safe, class: 'thumb', title: 'Open the full-size screenshot in the browser' }, img));
    }
    card.append(strip);
  }
  if (opts.crashLogs && (entry.hasCrashLog ?? entry.type === 'crash')) {
    card.append(h('div', { class: 'row' }, button('Open Crash Log', { icon: 'output', secondary: true }, opts.onCrashLog)));
  }
  if (opts.error) card.append(opts.error);
  return card;
}

function capitalize(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
