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
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === parent && state !== 'Z') children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children.sort((a, b) => a - b);
}
