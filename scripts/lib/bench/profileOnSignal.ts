/**
 * Preloaded (`node --import`) into a profiled server, primary and workers alike. `--cpu-prof` would
 * sample from the start, so a profile held the module loading and the warm-up, whose first reads of
 * every village miss the caches: its summary then showed the cold page, not the page a reader gets
 * once the server has run a while. Here sampling starts on SIGWINCH (sent after the warm-up) and
 * SIGUSR2 stops it, writes the profile into XIANGXIN_PROFILE_DIR and exits normally.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const dir = process.env.XIANGXIN_PROFILE_DIR;
if (!dir) throw new Error('profileOnSignal needs XIANGXIN_PROFILE_DIR');
const session = new Session();
session.connect();
let started = false;

process.on('SIGWINCH', () => {
  if (started) return;
  started = true;
  void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
});

process.once('SIGUSR2', () => {
  const exit = () => process.exit(0);
  if (!started) return exit();
  void session
    .post('Profiler.stop')
    .then(({ profile }) => writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(profile)))
    .finally(exit);
});
