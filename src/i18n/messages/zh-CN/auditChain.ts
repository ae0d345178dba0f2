/** The audit log's hash chain on the audit page (docs/SECURITY.md, "Audit integrity"). */
export const auditChain = {
  'auditChain.head': '审计链最新一条是第 {id} 条，哈希 {hash}。',
  'auditChain.help':
    '请把这个哈希记在本系统之外（如纸质台账）。以后在导出的 CSV 的 hash 列中找到它，且 npm run audit:verify 报告审计链完好，就说明到这一条为止的记录没有被改动或删除。',
} as const;
