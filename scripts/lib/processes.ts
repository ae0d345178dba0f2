import { readdirSync, readFileSync } from 'node:fs';

/**
 * The live child processes of `parent` from /proc (Linux only): `npm start`'s workers, for the
 * bench's memory figures and the tests. A child's parent pid is the second field after its command
 * name, which is in parentheses and may itself hold spaces.
 */
export function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat && stat.ppid === parent && stat.state !== 'Z') children.push(Number(entry));
  }
  return children.sort((a, b) => a - b);
}

/** Whether `pid` still runs: a zombie, which has ended but was not yet reaped, does not. */
export function isRunning(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== 'Z';
}

function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    // The process ended while we looked.
    return undefined;
  }
}
