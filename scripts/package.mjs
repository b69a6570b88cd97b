// `npm run package`: a production build and a .vsix made by @vscode/vsce; prints its size and checks what ships.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))']).toString());
const out = `${pkg.name}-${pkg.version}.vsix`;
execFileSync('node', ['esbuild.mjs', '--production', '--no-tests'], { stdio: 'inherit' });
// The bundle is already built (vscode:prepublish would rebuild) and carries its dependencies.
// dist/sandbox.js (the offline demo) carries the sandbox's own demo signing keys: public, useless against any real
// service, and needed to sign requests to the local emulation. They are the only "private keys" allowed to ship.
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], { stdio: 'inherit' });
const files = execFileSync('npx', ['vsce', 'ls', '--no-dependencies']).toString().trim().split('\n');
const forbidden = files.filter((f) => /^(src|webview|test|sandbox|node_modules)\//.test(f) || f.endsWith('.map'));
if (forbidden.length) {
  console.error(`package: these must not ship:\n${forbidden.join('\n')}`);
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`\n${out}: ${kb(statSync(out).size)} (dist/extension.js ${kb(statSync('dist/extension.js').size)}), ${files.length} files`);
