// Renders untrusted HTML (App Review's resolution-center messages) as a safe DOM subtree: the markup is parsed
// inertly, and only an allow-list of formatting elements is rebuilt, with no attributes except checked links.
const ALLOWED = new Set(['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'span', 'div', 'pre', 'code', 'blockquote', 'h3', 'h4', 'a']);
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math', 'head', 'title']);

export function sanitizeHtml(html: string): DocumentFragment {
  // DOMParser documents are inert: scripts do not run and resources do not load.
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = document.createDocumentFragment();
  for (const child of Array.from(parsed.body.childNodes)) copy(child, out);
  return out;
}

function copy(node: Node, into: Node): void {
  if (node.nodeType === Node.TEXT_NODE) {
    into.appendChild(document.createTextNode(node.textContent ?? ''));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (DROP_WITH_CONTENT.has(tag)) return;
  let target: Node = into;
  if (ALLOWED.has(tag)) {
    const clean = document.createElement(tag);
    if (tag === 'a') {
      const href = el.getAttribute('href') ?? '';
      // Only web links; shown as text with the URL in a title, opened by VS Code's link handling.
      if (/^https:\/\//i.test(href)) {
        clean.setAttribute('href', href);
        clean.setAttribute('title', href);
      }
    }
    into.appendChild(clean);
    target = clean;
  }
  for (const child of Array.from(el.childNodes)) copy(child, target);
}
