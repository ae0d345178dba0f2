import type { Driver } from './types.ts';

/** Nothing leaves the machine: the message stays in the outbox, marked sent by `log`. */
export const logDriver: Driver = {
  send: async () => ({ providerId: 'log', answer: '' }),
};
