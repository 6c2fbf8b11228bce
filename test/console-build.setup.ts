// Once per `npm test`: rebuild the console when its sources are newer than dist/web, so the serving tests and
// the browser tests always see the current console (a no-op when the build is up to date).
import { execFileSync } from 'node:child_process';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build-web.js', '--if-stale'], { stdio: 'inherit' });
}
