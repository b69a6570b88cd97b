// Entry of `dist/cli.js` (the `appdesk` bin).
import { main } from './index';

void main(process.argv.slice(2), (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n')).then((code) => {
  process.exitCode = code;
});
