import type { auditChain as zh } from '../zh-CN/auditChain.ts';

export const auditChain: Record<keyof typeof zh, string> = {
  'auditChain.head': 'The newest row of the audit chain is row {id}, hash {hash}.',
  'auditChain.help':
    'Write this hash down outside this system (a paper register, say). If it is later still in the hash column of the CSV export and npm run audit:verify reports the chain intact, no row up to this one was changed or removed.',
};
