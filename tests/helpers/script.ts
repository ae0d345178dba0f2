import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/lib/db/index.ts';

/**
 * Runs an operator script (`scripts/{name}.ts`) as an operator would. Without `lang` it runs with
 * no LANG at all (as under systemd), so the scripts' default language is what is tested.
 */
export function runScript(name: string, args: string[], env: Record<string, string>, lang?: string) {
  const { LANG: _inherited, ...inherited } = process.env;
  const run = spawnSync(process.execPath, [join(projectRoot(), 'scripts', `${name}.ts`), ...args], {
    cwd: projectRoot(),
    env: { ...inherited, ...(lang ? { LANG: lang } : {}), ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim(), output: `${run.stdout}${run.stderr}` };
}
