// Runs inside VS Code's extension host (code-server) as the "tests" of a fresh window: waits for the window to
// settle, activates AppDesk as any activation event would, and writes to the file named by
// APPDESK_BENCH_ACTIVATION_OUT VS Code's own figures, from the extension host's performance marks
// (`code/extHost/{will,did}LoadExtensionCode/…` and `…/{will,did}ActivateExtension/…`, the numbers behind
// "Developer: Show Running Extensions"): code loading (require of dist/extension.js) and the activate() call until
// its result resolved. The wall time of `extension.activate()` (which also waits for VS Code to build the
// ExtensionContext) is kept beside them.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const out = process.env.APPDESK_BENCH_ACTIVATION_OUT;
  if (!out) throw new Error('APPDESK_BENCH_ACTIVATION_OUT is not set');
  // Let the window's own start-up work (built-in extensions, file watchers) finish so it is not timed with ours.
  await new Promise((r) => setTimeout(r, Number(process.env.APPDESK_BENCH_SETTLE_MS ?? 2000)));
  const id = process.env.APPDESK_BENCH_EXTENSION_ID || 'appdesk.appdesk';
  const ext = vscode.extensions.getExtension(id);
  if (!ext) {
    writeFileSync(out, JSON.stringify({ error: `${id} is not loaded` }));
    return;
  }
  const wasActive = ext.isActive;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await ext.activate();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks?.getMarks() ?? [];
  const at = (what: string) => marks.find((m) => m.name === `code/extHost/${what}/${ext.id}`)?.startTime;
  const span = (from: string, to: string) => {
    const a = at(from);
    const b = at(to);
    return a !== undefined && b !== undefined ? b - a : undefined;
  };
  const loadMs = span('willLoadExtensionCode', 'didLoadExtensionCode');
  const activateMs = span('willActivateExtension', 'didActivateExtension');
  writeFileSync(
    out,
    JSON.stringify({
      ms: loadMs !== undefined && activateMs !== undefined ? loadMs + activateMs : wallMs,
      fromMarks: loadMs !== undefined && activateMs !== undefined,
      loadMs,
      activateMs,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wasActive,
      extensionPath: ext.extensionPath,
      node: process.version,
    }),
  );
}
