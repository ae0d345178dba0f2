import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childrenOf, isRunning } from '../../../scripts/lib/processes.ts';

describe('processes from /proc', () => {
  it('a child runs and is listed; once it ends it neither runs nor is listed, even before it is reaped', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(isRunning(pid)).toBe(true);
    expect(childrenOf(process.pid)).toContain(pid);
    // Killed but not waited for: a zombie until this process reaps it.
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isRunning(pid)).toBe(false);
    expect(childrenOf(process.pid)).not.toContain(pid);
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
    expect(isRunning(pid)).toBe(false);
  });
});
